select "o"."id" as "orderId", "o"."status", "o"."created_at" as "createdAt", "c"."name" as "customerName" from "orders" as "o" inner join "customers" as "c" on "c"."id" = "o"."customer_id" where "o"."status" in ($1, $2) order by "o"."created_at" desc, "o"."id" desc limit $3
-- parameters: ["pending","paid",15]
