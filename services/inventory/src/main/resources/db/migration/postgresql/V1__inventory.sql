create table stock (
    code varchar(32) not null primary key,
    qty  int         not null check (qty >= 0)
);

create table reservations (
    id         uuid                     not null primary key,
    subject    varchar(255)             not null,
    created_at timestamptz              not null
);

create table reservation_items (
    reservation_id uuid        not null references reservations (id) on delete cascade,
    line_no        int         not null,
    code           varchar(32) not null references stock (code),
    qty            int         not null check (qty between 1 and 10000),
    primary key (reservation_id, line_no)
);

insert into stock (code, qty) values
    ('IT0001', 1000000), ('IT0002', 1000000), ('IT0003', 1000000), ('IT0004', 1000000), ('IT0005', 1000000), ('IT0099', 1);
