create table deliveries (
    id         uuid                     not null primary key,
    subject    varchar(255)             not null,
    order_id   varchar(64)              not null,
    address    varchar(500)             not null,
    status     varchar(16)              not null,
    created_at timestamptz              not null
);

create index deliveries_subject_idx on deliveries (subject);

create table delivery_items (
    delivery_id uuid        not null references deliveries (id) on delete cascade,
    line_no     int         not null,
    code        varchar(32) not null,
    qty         int         not null check (qty between 1 and 10000),
    primary key (delivery_id, line_no)
);
