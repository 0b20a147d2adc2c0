insert into "feature_flags" ("key", "value") values ($1, $2) on conflict ("key") do update set "value" = $3, "updated_at" = $4
-- parameters: ["data_layer","kysely","kysely","<now>"]
