select "id", "name", "price_cents" as "priceCents" from "products" where "active" = $1 and ("price_cents", "id") > ($2, $3) order by "price_cents", "id" limit $4
-- parameters: [true,241,2467,5]
