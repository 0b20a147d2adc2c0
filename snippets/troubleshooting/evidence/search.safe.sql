select "id", "name" from "products" where name ilike $1 and "active" = $2 order by "id"
-- parameters: ["%zzz%' or true or name like '%",true]
