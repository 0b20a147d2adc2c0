insert into "customers" ("email", "name") values ($1, $2) on conflict ("email") do nothing
-- parameters: ["customer1@example.test","Someone Else"]

insert into "customers" ("email", "name") values ($1, $2) on conflict ("email") do nothing
-- parameters: ["new.customer@example.test","New Customer"]
