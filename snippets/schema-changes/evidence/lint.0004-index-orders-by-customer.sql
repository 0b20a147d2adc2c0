set lock_timeout = '2000ms';
drop index concurrently if exists orders_customer_id_created_at_idx;
create index concurrently if not exists orders_customer_id_created_at_idx on orders (customer_id, created_at desc);
reset lock_timeout;
