insert into "order_items" ("order_id", "product_id", "quantity", "unit_price_cents") values ($1, $2, $3, $4) on conflict ("order_id", "product_id") do update set "quantity" = "order_items"."quantity" + "excluded"."quantity"
-- parameters: [1,2572,2,1]

insert into "order_items" ("order_id", "product_id", "quantity", "unit_price_cents") values ($1, $2, $3, $4) on conflict ("order_id", "product_id") do update set "quantity" = "order_items"."quantity" + "excluded"."quantity"
-- parameters: [1,1,1,500]
