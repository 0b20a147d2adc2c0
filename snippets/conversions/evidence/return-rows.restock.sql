update "products" set "stock" = "stock" + $1 where "id" = $2 returning "id", "stock"
-- parameters: [10,5]

update "products" set "stock" = "stock" + $1 where "id" = $2 returning "id", "stock"
-- parameters: [10,999999]
