select "id", "category_id", "price_cents" from "products" where "active" = $1 order by "price_cents", "id" limit $2
-- parameters: [true,5]
