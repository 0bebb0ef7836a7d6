module rehabdesk

go 1.26.8
