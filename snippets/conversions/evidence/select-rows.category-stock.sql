select "c"."id" as "categoryId", "c"."name", count("p"."id") as "products", coalesce(sum("p"."stock"), 0) as "unitsInStock", min("p"."price_cents") as "cheapestCents" from "categories" as "c" left join "products" as "p" on "p"."category_id" = "c"."id" and "p"."active" = $1 group by "c"."id", "c"."name" having count("p"."id") >= $2 order by "products" desc, "c"."id"
-- parameters: [true,3]
