select to_char(d.day, 'YYYY-MM-DD') as day, count(o.id)::int as orders
      from generate_series($1::date, $2::date + ($3::int - 1), interval '1 day') as d(day)
      left join orders o on (o.created_at at time zone 'UTC')::date = d.day
     group by d.day
     order by d.day
-- parameters: ["2025-12-30","2025-12-30",10]
