select "id", "name" from "products" where name ilike '%zzz%' or true or name like '%' and "active" = $1 order by "id"
-- parameters: [true]
