select "id", "name" from "products" where "active" = $1 and to_tsvector('simple', name) @@ plainto_tsquery('simple', $2) order by "id" limit $3
-- parameters: [true,"wireless kettle",20]
