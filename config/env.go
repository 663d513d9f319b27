package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// LookupFunc looks up one environment variable. os.LookupEnv has this shape;
// tests pass a map's lookup so that they never touch the process environment.
type LookupFunc func(name string) (value string, ok bool)

// setting is one leaf key of a configuration struct.
type setting struct {
	key   string        // dotted TOML key, from the toml tags: "session.idle_timeout"
	env   string        // the overriding environment variable, from the env tag; empty if none
	sep   string        // what separates a list's items in its variable, from the envsep tag; default ","
	value reflect.Value // the field itself, settable
}

// defaultListSep separates the items of a list in an environment variable,
// unless the field's envsep tag names another separator (for items that
// contain commas themselves).
const defaultListSep = ","

// settings lists the leaf keys of the struct v points to, in field order,
// descending into nested structs (TOML tables). Fields without a toml tag are skipped.
func settings(v reflect.Value, prefix string) []setting {
	var out []setting
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if !f.IsExported() || name == "" || name == "-" {
			continue
		}
		key := prefix + name
		fv := v.Field(i)
		if f.Type.Kind() == reflect.Struct {
			out = append(out, settings(fv, key+".")...)
			continue
		}
		sep := f.Tag.Get("envsep")
		if sep == "" {
			sep = defaultListSep
		}
		out = append(out, setting{key: key, env: f.Tag.Get("env"), sep: sep, value: fv})
	}
	return out
}

// applyEnv sets every field whose env variable is present, converting the text
// to the field's type. It returns which keys were set by which variable, and a
// problem naming the variable for each value that does not convert.
// A variable that is set but empty sets a string or list to empty (so it can
// switch off a value from the file); for other types it is a problem.
func applyEnv(cfg any, lookup LookupFunc) (setBy map[string]string, ps Problems) {
	setBy = map[string]string{}
	for _, s := range settings(reflect.ValueOf(cfg).Elem(), "") {
		if s.env == "" {
			continue
		}
		text, ok := lookup(s.env)
		if !ok {
			continue
		}
		if err := setFromText(s.value, text, s.sep); err != nil {
			ps.add(s.env, "%q %v; it sets %s", text, err, s.key)
			continue
		}
		setBy[s.key] = s.env
	}
	return setBy, ps
}

// setFromText converts text to v's type and stores it; sep separates a list's
// items. The error completes the sentence `"text" ...`.
func setFromText(v reflect.Value, text, sep string) error {
	if v.Type() == reflect.TypeFor[time.Duration]() {
		d, err := time.ParseDuration(strings.TrimSpace(text))
		if err != nil {
			return fmt.Errorf("is not a duration; write it like 90s, 15m or 1h30m")
		}
		v.SetInt(int64(d))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(text)
	case reflect.Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(text))
		if err != nil {
			return fmt.Errorf("is not true or false")
		}
		v.SetBool(b)
	case reflect.Int:
		n, err := strconv.Atoi(strings.TrimSpace(text))
		if err != nil {
			return fmt.Errorf("is not a whole number")
		}
		v.SetInt(int64(n))
	case reflect.Float64:
		f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
		if err != nil {
			return fmt.Errorf("is not a number")
		}
		v.SetFloat(f)
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.String {
			panic("config: cannot set " + v.Type().String() + " from the environment")
		}
		setList(v, strings.Split(text, sep))
	default:
		// A field of a new type was added without teaching this function; the
		// test "every key can be set from the environment" catches it first.
		panic("config: cannot set " + v.Type().String() + " from the environment")
	}
	return nil
}

// setList stores the items in v, a list of strings, trimmed and without empty ones.
func setList(v reflect.Value, items []string) {
	list := []string{}
	for _, item := range items {
		if item = strings.TrimSpace(item); item != "" {
			list = append(list, item)
		}
	}
	v.Set(reflect.ValueOf(list).Convert(v.Type()))
}
