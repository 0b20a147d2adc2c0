insert into "products" ("category_id", "sku", "name", "price_cents") values ($1, $2, $3, $4), ($5, $6, $7, $8), ($9, $10, $11, $12)
-- parameters: [1,"TEST-0001","Test Kettle",1999,1,"TEST-0002","Test Lamp",4550,2,"TEST-0003","O'Brien's Tent",12000]
