create table orders (
    id               uuid                     not null primary key,
    customer         varchar(255)             not null,
    shipping_address varchar(500)             not null,
    status           varchar(16)              not null,
    created_at       timestamp with time zone not null
);

create index orders_customer_created_idx on orders (customer, created_at);

create table order_items (
    order_id  uuid        not null references orders (id) on delete cascade,
    line_no   int         not null,
    item_code varchar(32) not null,
    quantity  int         not null check (quantity between 1 and 1000),
    primary key (order_id, line_no)
);
