select "id", "name" from "products" order by "price_cents", "id" limit $1
-- parameters: [5]
