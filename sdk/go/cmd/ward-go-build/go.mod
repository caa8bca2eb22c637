module wardgobuild

go 1.23
