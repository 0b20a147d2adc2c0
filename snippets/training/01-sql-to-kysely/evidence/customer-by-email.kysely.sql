select "id", "name", "email" from "customers" where "email" = $1
-- parameters: ["customer12@example.test"]
