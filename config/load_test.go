package config

import (
	"errors"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// env returns a LookupFunc over a fixed map, so tests never touch the process environment.
func env(vars map[string]string) LookupFunc {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

// noEnv is an environment with nothing set.
var noEnv = env(nil)

// problemsOf returns the Problems inside err, failing the test if there are none.
func problemsOf(t *testing.T, err error) Problems {
	t.Helper()
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error %v does not wrap Problems", err)
	}
	return ps
}

// wantInError fails unless err is not nil and its message contains every part.
func wantInError(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

func TestDefaults(t *testing.T) {
	t.Run("the workstation with no file and no environment runs the sandbox demo", func(t *testing.T) {
		cfg, found, err := LoadWorkstation("", MissingIsDefaults, noEnv)
		if err != nil {
			t.Fatal(err)
		}
		want := Workstation{Environment: "sandbox", GatewayURL: "", Theme: "default", SignInMode: "auto"}
		if found || cfg != want {
			t.Errorf("got %+v found=%v, want %+v found=false", cfg, found, want)
		}
	})
	t.Run("the gateway with no file listens on loopback for the local simulator with 15m and 12h sessions", func(t *testing.T) {
		cfg, err := LoadGateway("", noEnv)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Listen != "127.0.0.1:8443" || cfg.Environment != "local" || cfg.Store.Driver != "sqlite" ||
			cfg.Session.IdleTimeout != 15*time.Minute || cfg.Session.AbsoluteTimeout != 12*time.Hour {
			t.Errorf("got %+v", cfg)
		}
	})
	t.Run("the sandbox with no file serves synthetic data on 127.0.0.1:9000 with the admin API off", func(t *testing.T) {
		cfg, err := LoadSandbox("", noEnv)
		if err != nil {
			t.Fatal(err)
		}
		want := Sandbox{Listen: "127.0.0.1:9000", Seed: "synthetic", Referrals: 2000, Services: 200, RandomSeed: 1,
			FaultSeed: 1, LogFormat: "text", LogLevel: "info",
			Gateway: SandboxGateway{URL: "http://127.0.0.1:8443", ClientID: SandboxCIS2ClientID, APIKey: SandboxAPIKey,
				AppSecret: SandboxAppSecret, AllowedODS: []string{"Y10001", "Y10002", "RV1"}, LifetimeOverrides: true}}
		if !reflect.DeepEqual(cfg, want) {
			t.Errorf("got %+v, want %+v", cfg, want)
		}
		if cfg.Rate != 0 || cfg.Faults != nil || cfg.WriteHold != 0 || cfg.AdminListen != "" {
			t.Errorf("faults, rate limit or admin API on by default: %+v", cfg)
		}
	})
}

func TestFileValues(t *testing.T) {
	t.Run("the INT gateway example sets every table", func(t *testing.T) {
		cfg, err := LoadGateway(filepath.Join("testdata", "gateway-int.toml"), noEnv)
		if err != nil {
			t.Fatal(err)
		}
		want := Gateway{
			Listen:      "0.0.0.0:8443",
			Environment: "int",
			PublicURL:   "https://ers-gateway.int.example.nhs.uk",
			TLS:         TLS{CertFile: "/etc/ers-gateway/tls/cert.pem", KeyFile: "/etc/ers-gateway/tls/key.pem"},
			Rate:        10,
			Burst:       20,
			LogFormat:   "json",
			LogLevel:    "info",
			Store:       Store{Driver: "sqlite", DSN: "/var/lib/ers-gateway/gateway.db", SealKeyFile: "/etc/ers-gateway/seal.key"},
			Keys:        Keys{Dir: "/etc/ers-gateway/keys", RotationLead: time.Hour, Retention: 24 * time.Hour},
			Session:     SessionLimits{IdleTimeout: 15 * time.Minute, AbsoluteTimeout: 12 * time.Hour},
			CIS2:        CIS2{ClientID: "999999999999.apps.national"},
			APIM:        APIM{APIKey: "your-apim-application-api-key", AppSecretFile: "/etc/ers-gateway/apim-app-secret"},
		}
		if cfg != want {
			t.Errorf("got  %+v\nwant %+v", cfg, want)
		}
	})
	t.Run("keys a file leaves out keep their defaults, even inside a table it sets", func(t *testing.T) {
		cfg, err := LoadGateway(filepath.Join("testdata", "gateway-sandbox.toml"), noEnv)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Session.IdleTimeout != 5*time.Minute || cfg.Session.AbsoluteTimeout != 12*time.Hour || cfg.Store.Driver != "sqlite" {
			t.Errorf("got session %+v store %+v", cfg.Session, cfg.Store)
		}
	})
	t.Run("the INT workstation example is read and found", func(t *testing.T) {
		cfg, found, err := LoadWorkstation(filepath.Join("testdata", "workstation-int.toml"), MissingIsError, noEnv)
		if err != nil {
			t.Fatal(err)
		}
		want := Workstation{Environment: "int", GatewayURL: "https://ers-gateway.int.example.nhs.uk", Theme: "high-contrast", SignInMode: "remote"}
		if !found || cfg != want {
			t.Errorf("got %+v found=%v, want %+v found=true", cfg, found, want)
		}
	})
	t.Run("the sandbox workstation example is the demo", func(t *testing.T) {
		cfg, found, err := LoadWorkstation(filepath.Join("testdata", "workstation-sandbox.toml"), MissingIsError, noEnv)
		if err != nil || !found || cfg != DefaultWorkstation() {
			t.Errorf("got %+v found=%v err=%v", cfg, found, err)
		}
	})
	t.Run("the sandbox example sets every simulator key", func(t *testing.T) {
		cfg, err := LoadSandbox(filepath.Join("testdata", "sandbox.toml"), noEnv)
		want := Sandbox{
			Listen: "127.0.0.1:9100", Seed: "examples", Referrals: 50, Services: 10, RandomSeed: 7, AdminListen: "127.0.0.1:9101",
			Rate: 20, Burst: 40,
			Faults:    []string{"op=A016,latency=200ms,error_rate=0.1,status=504", "latency=20ms,jitter=30ms"},
			WriteHold: 250 * time.Millisecond, FaultSeed: 42,
			LogFormat: "json", LogLevel: "debug",
			OpenAccess: true, AutoApprove: true, CIS2Listen: "127.0.0.1:9102", APIMListen: "127.0.0.1:9103",
			Gateway: SandboxGateway{URL: "http://127.0.0.1:8444", ClientID: "supplier-gateway.apps.national", APIKey: "supplier-api-key",
				AppSecret: "supplier-app-secret", AllowedODS: []string{"Y10001", "RV1"}, LifetimeOverrides: true},
		}
		if err != nil || !reflect.DeepEqual(cfg, want) {
			t.Errorf("got  %+v err=%v\nwant %+v", cfg, err, want)
		}
		for _, s := range settings(reflect.ValueOf(&cfg).Elem(), "") {
			if s.value.IsZero() {
				t.Errorf("the example leaves %s out; show every key", s.key)
			}
		}
	})
}

func TestEnvironmentOverrides(t *testing.T) {
	t.Run("an environment variable wins over the file", func(t *testing.T) {
		cfg, err := LoadGateway(filepath.Join("testdata", "gateway-sandbox.toml"), env(map[string]string{
			"ERS_LISTEN":               "127.0.0.1:9443",
			"ERS_SESSION_IDLE_TIMEOUT": "7m",
		}))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Listen != "127.0.0.1:9443" || cfg.Session.IdleTimeout != 7*time.Minute {
			t.Errorf("got listen %q idle %v", cfg.Listen, cfg.Session.IdleTimeout)
		}
	})
	t.Run("an empty variable clears a string the file set, turning the workstation back into the demo", func(t *testing.T) {
		cfg, _, err := LoadWorkstation(filepath.Join("testdata", "workstation-int.toml"), MissingIsError, env(map[string]string{
			"ERS_ENVIRONMENT": "sandbox",
			"ERS_GATEWAY_URL": "",
		}))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.GatewayURL != "" || cfg.Environment != "sandbox" || cfg.Theme != "high-contrast" {
			t.Errorf("got %+v", cfg)
		}
	})
	t.Run("the sandbox ignores the gateway's ERS_LISTEN", func(t *testing.T) {
		cfg, err := LoadSandbox("", env(map[string]string{"ERS_LISTEN": "127.0.0.1:1", "ERS_SANDBOX_LISTEN": "127.0.0.1:9009"}))
		if err != nil || cfg.Listen != "127.0.0.1:9009" {
			t.Errorf("got listen %q err=%v", cfg.Listen, err)
		}
	})
	t.Run("a bad duration names the variable and the key it sets", func(t *testing.T) {
		_, err := LoadGateway("", env(map[string]string{"ERS_SESSION_IDLE_TIMEOUT": "15 minutes"}))
		wantInError(t, err, `ERS_SESSION_IDLE_TIMEOUT: "15 minutes" is not a duration`, "session.idle_timeout")
	})
	t.Run("a bad number names the variable", func(t *testing.T) {
		_, err := LoadSandbox("", env(map[string]string{"ERS_SANDBOX_REFERRALS": "2k"}))
		wantInError(t, err, `ERS_SANDBOX_REFERRALS: "2k" is not a whole number`)
	})
	t.Run("the sandbox's fault rules are separated by semicolons, since a rule has commas", func(t *testing.T) {
		cfg, err := LoadSandbox("", env(map[string]string{
			"ERS_SANDBOX_FAULTS": "op=A016,latency=200ms ; op=A008,error_rate=1,status=503;",
		}))
		want := []string{"op=A016,latency=200ms", "op=A008,error_rate=1,status=503"}
		if err != nil || !reflect.DeepEqual(cfg.Faults, want) {
			t.Errorf("got %q err=%v, want %q", cfg.Faults, err, want)
		}
	})
	t.Run("a rate may be a fraction of a call a second", func(t *testing.T) {
		cfg, err := LoadSandbox("", env(map[string]string{"ERS_SANDBOX_RATE": "0.5"}))
		if err != nil || cfg.Rate != 0.5 {
			t.Errorf("got rate %v err=%v", cfg.Rate, err)
		}
	})
	t.Run("a rate that is not a number names the variable", func(t *testing.T) {
		_, err := LoadSandbox("", env(map[string]string{"ERS_SANDBOX_RATE": "ten"}))
		wantInError(t, err, `ERS_SANDBOX_RATE: "ten" is not a number; it sets rate`)
	})
	t.Run("a value that fails validation says which variable set it", func(t *testing.T) {
		_, err := LoadGateway("", env(map[string]string{"ERS_STORE_DRIVER": "mysql"}))
		wantInError(t, err, `store.driver: "mysql" is not allowed; use one of sqlite, postgres (set by ERS_STORE_DRIVER)`)
	})
}

func TestFileProblems(t *testing.T) {
	t.Run("an unknown key is an error naming the file and the key", func(t *testing.T) {
		path := filepath.Join("testdata", "unknown-keys.toml")
		_, err := LoadGateway(path, noEnv)
		wantInError(t, err, "config "+path+":", `unknown key "lisen"`, `unknown key "session.idel_timeout"`)
	})
	t.Run("an unknown table is named once, not once per key inside it", func(t *testing.T) {
		_, err := LoadGateway(filepath.Join("testdata", "unknown-keys.toml"), noEnv)
		ps := problemsOf(t, err)
		var got []string
		for _, p := range ps {
			got = append(got, p.String())
		}
		want := []string{`unknown key "lisen"`, `unknown key "session.idel_timeout"`, `unknown key "gatway"`}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("a key of another program is unknown to this one", func(t *testing.T) {
		_, _, err := LoadWorkstation(filepath.Join("testdata", "gateway-sandbox.toml"), MissingIsError, noEnv)
		wantInError(t, err, `unknown key "listen"`, `unknown key "session"`)
	})
	t.Run("a duration written as a bare number is refused rather than read as nanoseconds", func(t *testing.T) {
		_, err := LoadGateway(filepath.Join("testdata", "duration-number.toml"), noEnv)
		wantInError(t, err, `session.idle_timeout: write a duration as a quoted string, for example idle_timeout = "15m"`)
	})
	t.Run("a file that is not TOML is an error naming the file and the line", func(t *testing.T) {
		path := filepath.Join("testdata", "broken.toml")
		_, err := LoadGateway(path, noEnv)
		wantInError(t, err, "config "+path+":", "line 1")
	})
}

func TestMissingFiles(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "ers-workstation", "config.toml")
	t.Run("a missing workstation file at the XDG path is not an error and reports found=false", func(t *testing.T) {
		cfg, found, err := LoadWorkstation(missing, MissingIsDefaults, env(map[string]string{"ERS_THEME": "monochrome"}))
		if err != nil {
			t.Fatal(err)
		}
		if found {
			t.Error("found=true for a file that does not exist")
		}
		if cfg.Theme != "monochrome" || cfg.Environment != "sandbox" {
			t.Errorf("defaults and environment not applied: %+v", cfg)
		}
	})
	t.Run("a missing workstation file still gets its environment validated", func(t *testing.T) {
		_, _, err := LoadWorkstation(missing, MissingIsDefaults, env(map[string]string{"ERS_THEME": "dark"}))
		wantInError(t, err, `theme: "dark" is not allowed`)
	})
	t.Run("a missing file given explicitly is an error naming it", func(t *testing.T) {
		_, found, err := LoadWorkstation(missing, MissingIsError, noEnv)
		wantInError(t, err, "config "+missing)
		if !errors.Is(err, fs.ErrNotExist) || found {
			t.Errorf("got found=%v err=%v, want found=false and fs.ErrNotExist", found, err)
		}
	})
	t.Run("a missing gateway file is an error", func(t *testing.T) {
		_, err := LoadGateway(missing, noEnv)
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("got %v, want fs.ErrNotExist", err)
		}
	})
	t.Run("a missing sandbox file is an error", func(t *testing.T) {
		_, err := LoadSandbox(missing, noEnv)
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("got %v, want fs.ErrNotExist", err)
		}
	})
}

func TestProblemsAreReportedTogether(t *testing.T) {
	t.Run("unknown keys, bad variables and failed validation come in one error", func(t *testing.T) {
		_, err := LoadGateway(filepath.Join("testdata", "unknown-keys.toml"), env(map[string]string{
			"ERS_ENVIRONMENT":               "staging",
			"ERS_SESSION_ABSOLUTE_TIMEOUT":  "forever",
			"ERS_STORE_DRIVER":              "mysql",
			"ERS_SESSION_IDLE_TIMEOUT":      "0s",
			"ERS_THIS_IS_NOT_A_GATEWAY_KEY": "ignored",
		}))
		ps := problemsOf(t, err)
		wantInError(t, err,
			"7 problems:",
			`unknown key "lisen"`,
			`ERS_SESSION_ABSOLUTE_TIMEOUT: "forever" is not a duration`,
			`environment: "staging" is not allowed; use one of sandbox, int, production, local (set by ERS_ENVIRONMENT)`,
			`store.driver: "mysql" is not allowed`,
			`session.idle_timeout: 0s is not a positive duration`,
		)
		if len(ps) != 7 {
			t.Errorf("got %d problems, want 7:\n%v", len(ps), err)
		}
	})
	t.Run("one problem is one line", func(t *testing.T) {
		_, _, err := LoadWorkstation("", MissingIsDefaults, env(map[string]string{"ERS_SIGN_IN_MODE": "browser"}))
		want := `config: sign_in_mode: "browser" is not allowed; use one of auto, loopback, remote (set by ERS_SIGN_IN_MODE)`
		if err == nil || err.Error() != want {
			t.Errorf("got  %v\nwant %s", err, want)
		}
	})
}

func TestLoadNeedsAPointerToAStruct(t *testing.T) {
	t.Run("a struct passed by value is refused, not silently left unfilled", func(t *testing.T) {
		_, err := Load(DefaultSandbox(), "", MissingIsError, noEnv)
		wantInError(t, err, "must point to a struct")
	})
}

func TestWorkstationPath(t *testing.T) {
	tests := []struct {
		name    string
		vars    map[string]string
		home    string
		want    string
		wantErr bool
	}{
		{"XDG_CONFIG_HOME is used when it is set", map[string]string{"XDG_CONFIG_HOME": "/xdg"}, "/home/ann", "/xdg/ers-workstation/config.toml", false},
		{"the home directory's .config is used when XDG_CONFIG_HOME is unset", nil, "/home/ann", "/home/ann/.config/ers-workstation/config.toml", false},
		{"an empty XDG_CONFIG_HOME counts as unset", map[string]string{"XDG_CONFIG_HOME": ""}, "/home/ann", "/home/ann/.config/ers-workstation/config.toml", false},
		{"a relative XDG_CONFIG_HOME is ignored as the XDG rules say", map[string]string{"XDG_CONFIG_HOME": "conf"}, "/home/ann", "/home/ann/.config/ers-workstation/config.toml", false},
		{"XDG_CONFIG_HOME works without a home directory", map[string]string{"XDG_CONFIG_HOME": "/xdg"}, "", "/xdg/ers-workstation/config.toml", false},
		{"no XDG_CONFIG_HOME and no home directory is an error", nil, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := WorkstationPath(env(tt.vars), tt.home)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("got %q, %v; want %q, error=%v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestOverrides(t *testing.T) {
	file := filepath.Join("testdata", "sandbox.toml")
	t.Run("a flag wins over the environment, which wins over the file", func(t *testing.T) {
		cfg, err := LoadSandbox(file, env(map[string]string{"ERS_SANDBOX_REFERRALS": "60", "ERS_SANDBOX_SERVICES": "20"}),
			Override{Key: "referrals", Values: []string{"70"}, By: "--referrals"})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Referrals != 70 || cfg.Services != 20 || cfg.Seed != "examples" || cfg.Listen != "127.0.0.1:9100" {
			t.Errorf("got %+v", cfg)
		}
	})
	t.Run("a repeated list flag gives one item per use, never split at commas", func(t *testing.T) {
		cfg, err := LoadSandbox(file, env(map[string]string{"ERS_SANDBOX_FAULTS": "latency=1s"}),
			Override{Key: "faults", Values: []string{"op=A008,latency=5ms", " op=A016,drop_rate=0.5 "}, By: "--fault"})
		want := []string{"op=A008,latency=5ms", "op=A016,drop_rate=0.5"}
		if err != nil || !reflect.DeepEqual(cfg.Faults, want) {
			t.Errorf("got %q err=%v, want %q", cfg.Faults, err, want)
		}
	})
	t.Run("a flag given twice keeps its last value", func(t *testing.T) {
		cfg, err := LoadSandbox("", noEnv, Override{Key: "seed", Values: []string{"synthetic", "examples"}, By: "--seed"})
		if err != nil || cfg.Seed != "examples" {
			t.Errorf("got seed %q err=%v", cfg.Seed, err)
		}
	})
	t.Run("a flag that does not convert names the flag and the key", func(t *testing.T) {
		_, err := LoadSandbox("", noEnv, Override{Key: "write_hold", Values: []string{"2"}, By: "--write-hold"})
		wantInError(t, err, `--write-hold: "2" is not a duration; write it like 90s, 15m or 1h30m; it sets write_hold`)
	})
	t.Run("a value that fails validation says which flag set it", func(t *testing.T) {
		_, err := LoadSandbox("", env(map[string]string{"ERS_SANDBOX_LOG_LEVEL": "trace"}),
			Override{Key: "log_level", Values: []string{"loud"}, By: "--log-level"})
		wantInError(t, err, `log_level: "loud" is not allowed; use one of debug, info, warn, error (set by --log-level)`)
	})
	t.Run("problems of the file, the environment and the flags come in one error", func(t *testing.T) {
		_, err := LoadSandbox(file, env(map[string]string{"ERS_SANDBOX_BURST": "many"}),
			Override{Key: "rate", Values: []string{"-1"}, By: "--rate"},
			Override{Key: "referrals", Values: []string{"lots"}, By: "--referrals"})
		ps := problemsOf(t, err)
		wantInError(t, err, "config "+file+": 3 problems:",
			`ERS_SANDBOX_BURST: "many" is not a whole number`,
			`--referrals: "lots" is not a whole number; it sets referrals`,
			`rate: -1 is out of range; use 0 (unlimited) to 1000000 calls a second (set by --rate)`)
		if len(ps) != 3 {
			t.Errorf("got %d problems, want 3:\n%v", len(ps), err)
		}
	})
	t.Run("an override of a key the configuration does not have is a problem, not ignored", func(t *testing.T) {
		_, err := LoadSandbox("", noEnv, Override{Key: "environment", Values: []string{"int"}, By: "--environment"})
		wantInError(t, err, `--environment: sets "environment", which is not a key of this configuration`)
	})
	t.Run("an override without a value is a problem", func(t *testing.T) {
		_, err := LoadSandbox("", noEnv, Override{Key: "listen", By: "--listen"})
		wantInError(t, err, `--listen: has no value; it sets listen`)
	})
	t.Run("the gateway and the workstation take overrides too", func(t *testing.T) {
		g, err := LoadGateway("", noEnv, Override{Key: "session.idle_timeout", Values: []string{"5m"}, By: "--idle-timeout"})
		if err != nil || g.Session.IdleTimeout != 5*time.Minute {
			t.Errorf("gateway: got %v err=%v", g.Session.IdleTimeout, err)
		}
		w, _, err := LoadWorkstation("", MissingIsDefaults, noEnv, Override{Key: "theme", Values: []string{"monochrome"}, By: "--theme"})
		if err != nil || w.Theme != "monochrome" {
			t.Errorf("workstation: got %q err=%v", w.Theme, err)
		}
	})
}
