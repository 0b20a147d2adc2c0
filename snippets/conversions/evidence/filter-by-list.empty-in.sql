select "id" from "orders" where "status" in () order by "id"
