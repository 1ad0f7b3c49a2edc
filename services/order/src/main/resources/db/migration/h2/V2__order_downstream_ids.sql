-- the inventory's reservation and the logistics domain's delivery of an order; null for orders placed
-- without downstream calls (workload TLS off, or bulwark.order.delivery.flow=off)
alter table orders add column reservation_id varchar(64);
alter table orders add column delivery_id varchar(64);
