insert into "orders" ("customer_id") values ($1) returning "id", "customer_id" as "customerId", "status", "created_at" as "createdAt"
-- parameters: [7]
