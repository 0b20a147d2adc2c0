delete from "order_items" where "order_id" = $1 returning "product_id" as "productId", "quantity"
-- parameters: [3]
