select "id", "customer_id" as "customerId", "status", "created_at" as "createdAt" from "orders" where 1 = 1 order by "created_at" desc, "id" desc limit $1
-- parameters: [10]
