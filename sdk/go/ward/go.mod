module ward

go 1.23
