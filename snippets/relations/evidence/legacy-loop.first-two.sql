select id, customer_id as "customerId", status from orders where id = any($1::int[]) order by id
-- parameters: [[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,999999]]

select product_id as "productId", quantity, unit_price_cents as "unitPriceCents"
         from order_items where order_id = $1 order by product_id
-- parameters: [1]
