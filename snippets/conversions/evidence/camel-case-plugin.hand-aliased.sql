select "id", "category_id" as "categoryId", "price_cents" as "priceCents" from "products" where "active" = $1 order by "price_cents", "id" limit $2
-- parameters: [true,5]
