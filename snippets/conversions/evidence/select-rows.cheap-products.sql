select "id", "sku", "name", "price_cents" as "priceCents" from "products" where "category_id" = $1 and "active" = $2 and "price_cents" <= $3 order by "price_cents", "id"
-- parameters: [271,true,20000]
