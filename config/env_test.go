package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// kinds is a configuration with one field of every type the environment can set.
type kinds struct {
	Name    string        `toml:"name" env:"ERS_T_NAME"`
	On      bool          `toml:"on" env:"ERS_T_ON"`
	Count   int           `toml:"count" env:"ERS_T_COUNT"`
	Wait    time.Duration `toml:"wait" env:"ERS_T_WAIT"`
	Share   float64       `toml:"share" env:"ERS_T_SHARE"`
	Hosts   []string      `toml:"hosts" env:"ERS_T_HOSTS"`
	Rules   []string      `toml:"rules" env:"ERS_T_RULES" envsep:";"`
	Table   kindsTable    `toml:"table"`
	NoEnv   string        `toml:"no_env"`
	private string
}

type kindsTable struct {
	Inner string `toml:"inner" env:"ERS_T_TABLE_INNER"`
}

func TestApplyEnv(t *testing.T) {
	t.Run("each supported type is converted from text", func(t *testing.T) {
		var got kinds
		setBy, ps := applyEnv(&got, env(map[string]string{
			"ERS_T_NAME":        "ann",
			"ERS_T_ON":          "true",
			"ERS_T_COUNT":       " 42 ",
			"ERS_T_WAIT":        "1h30m",
			"ERS_T_SHARE":       " 0.25 ",
			"ERS_T_HOSTS":       "a.example, b.example,,",
			"ERS_T_RULES":       "a=1,b=2; c=3;;",
			"ERS_T_TABLE_INNER": "deep",
		}))
		if len(ps) > 0 {
			t.Fatal(ps)
		}
		want := kinds{Name: "ann", On: true, Count: 42, Wait: 90 * time.Minute, Share: 0.25, Hosts: []string{"a.example", "b.example"},
			Rules: []string{"a=1,b=2", "c=3"}, Table: kindsTable{Inner: "deep"}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, want %+v", got, want)
		}
		if setBy["table.inner"] != "ERS_T_TABLE_INNER" || setBy["wait"] != "ERS_T_WAIT" || len(setBy) != 8 {
			t.Errorf("setBy = %v", setBy)
		}
	})
	t.Run("variables that are not set leave values alone", func(t *testing.T) {
		got := kinds{Name: "kept", Count: 7}
		setBy, ps := applyEnv(&got, noEnv)
		if len(ps) > 0 || len(setBy) > 0 || got.Name != "kept" || got.Count != 7 {
			t.Errorf("got %+v, setBy %v, problems %v", got, setBy, ps)
		}
	})
	t.Run("an empty list variable empties the list", func(t *testing.T) {
		got := kinds{Hosts: []string{"from-file"}}
		if _, ps := applyEnv(&got, env(map[string]string{"ERS_T_HOSTS": ""})); len(ps) > 0 || len(got.Hosts) != 0 {
			t.Errorf("got %q, problems %v", got.Hosts, ps)
		}
	})

	bad := []struct {
		name, variable, value, want string
	}{
		{"a bool that is not true or false names the variable", "ERS_T_ON", "yes please", `ERS_T_ON: "yes please" is not true or false; it sets on`},
		{"an int that is not a number names the variable", "ERS_T_COUNT", "ten", `ERS_T_COUNT: "ten" is not a whole number; it sets count`},
		{"an empty int names the variable", "ERS_T_COUNT", "", `ERS_T_COUNT: "" is not a whole number; it sets count`},
		{"a duration without a unit names the variable", "ERS_T_WAIT", "15", `ERS_T_WAIT: "15" is not a duration; write it like 90s, 15m or 1h30m; it sets wait`},
		{"a float that is not a number names the variable", "ERS_T_SHARE", "half", `ERS_T_SHARE: "half" is not a number; it sets share`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			got := kinds{On: true, Count: 3, Wait: time.Second}
			_, ps := applyEnv(&got, env(map[string]string{tt.variable: tt.value}))
			if len(ps) != 1 || ps[0].String() != tt.want {
				t.Fatalf("got %v, want one problem %q", ps, tt.want)
			}
			if ps[0].Key != tt.variable {
				t.Errorf("problem key %q, want the variable %q", ps[0].Key, tt.variable)
			}
			if !got.On || got.Count != 3 || got.Wait != time.Second {
				t.Errorf("a bad value changed the field: %+v", got)
			}
		})
	}
}

// TestEveryKeyHasAVariable guards the three real configurations: every key can
// be overridden, by a variable with the ERS_ prefix, of a type applyEnv knows.
func TestEveryKeyHasAVariable(t *testing.T) {
	configs := map[string]any{
		"workstation": &Workstation{},
		"gateway":     &Gateway{},
		"sandbox":     &Sandbox{},
	}
	for name, cfg := range configs {
		t.Run("every "+name+" key can be set from the environment", func(t *testing.T) {
			seen := map[string]string{}
			for _, s := range settings(reflect.ValueOf(cfg).Elem(), "") {
				if !strings.HasPrefix(s.env, "ERS_") {
					t.Errorf("key %s has variable %q, want one starting ERS_", s.key, s.env)
					continue
				}
				if other, dup := seen[s.env]; dup {
					t.Errorf("%s is used by both %s and %s", s.env, other, s.key)
				}
				seen[s.env] = s.key
				sample := map[reflect.Kind]string{reflect.String: "x", reflect.Bool: "true", reflect.Int: "1", reflect.Int64: "1s", reflect.Float64: "1.5", reflect.Slice: "a,b"}[s.value.Kind()]
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Errorf("key %s: %v", s.key, r)
						}
					}()
					if _, ps := applyEnv(cfg, env(map[string]string{s.env: sample})); len(ps) > 0 {
						t.Errorf("key %s: %v", s.key, ps)
					}
				}()
			}
			if len(seen) == 0 {
				t.Error("no keys found")
			}
		})
	}
	t.Run("the sandbox's variables do not collide with the gateway's", func(t *testing.T) {
		gateway := map[string]bool{}
		for _, s := range settings(reflect.ValueOf(&Gateway{}).Elem(), "") {
			gateway[s.env] = true
		}
		for _, s := range settings(reflect.ValueOf(&Sandbox{}).Elem(), "") {
			if gateway[s.env] {
				t.Errorf("%s sets both the gateway and the sandbox", s.env)
			}
		}
	})
}
