select "name" from "products" where "name" ilike $1 order by "name", "id"
-- parameters: ["%zq lamp 50\\%%"]
