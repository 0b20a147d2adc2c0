delete from "orders" where "status" = $1 and "created_at" < $2
-- parameters: ["cancelled","2026-02-01T00:00:00.000Z"]
