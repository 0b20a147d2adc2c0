select "id", "status" from "orders" where "id" = any($1::int[]) order by "id"
-- parameters: [["…70,000 ids"]]
