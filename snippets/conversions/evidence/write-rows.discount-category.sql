update "products" set "price_cents" = "price_cents" * $1 / $2 where "category_id" = $3 and "active" = $4
-- parameters: [85,100,3,true]
