begin

update "orders" set "status" = $1 where "id" = $2 and "status" in ($3, $4) returning "id"
-- parameters: ["cancelled",1,"pending","paid"]

update "products" as "p" set "stock" = "p"."stock" + "oi"."quantity" from "order_items" as "oi" where "oi"."product_id" = "p"."id" and "oi"."order_id" = $1
-- parameters: [1]

commit
