module a.rehabdesk.local/localefix

go 1.26.8
