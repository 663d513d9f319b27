module github.com/ers-workstation/ers-workstation

go 1.26.0

require github.com/go-json-experiment/json v0.0.0-20260820222146-c27c302e5fc3

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/coreos/go-oidc/v3 v3.21.0
	github.com/go-jose/go-jose/v4 v4.1.8
	github.com/google/uuid v1.6.0
	golang.org/x/time v0.16.0
)

require golang.org/x/oauth2 v0.36.0 // indirect
