package session

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/ers-workstation/ers-workstation/dpop"
)

// entry is the one keyring item: the session token, the key it is bound to,
// and what the gateway's session answer does not repeat (the idle limit and
// the names of the chosen role), so Resume can rebuild the Identity.
type entry struct {
	Version      int    `json:"v"`
	SessionToken string `json:"session_token"`
	// Key is the dpop key as PKCS#8 DER, base64.
	Key         string `json:"key"`
	IdleTimeout int    `json:"idle_timeout,omitempty"` // seconds
	Role        *Role  `json:"role,omitempty"`
}

const entryVersion = 1

// live is a session in memory: what entry holds, decoded.
type live struct {
	token    string
	key      *dpop.Key
	identity Identity
}

func encodeEntry(l live) (string, error) {
	der, err := l.key.MarshalPKCS8()
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(entry{
		Version: entryVersion, SessionToken: l.token, Key: base64.StdEncoding.EncodeToString(der),
		IdleTimeout: int(l.identity.IdleTimeout / time.Second), Role: l.identity.Role,
	})
	return string(b), err
}

// decodeEntry reads a keyring item; any damage makes it useless.
func decodeEntry(s string) (live, error) {
	var e entry
	if err := json.Unmarshal([]byte(s), &e); err != nil || e.Version != entryVersion || e.SessionToken == "" {
		return live{}, errors.New("session: the keyring entry is not one this version wrote")
	}
	der, err := base64.StdEncoding.DecodeString(e.Key)
	if err != nil {
		return live{}, errors.New("session: the keyring entry's key is damaged")
	}
	k, err := dpop.ParseKey(der)
	if err != nil {
		return live{}, err
	}
	return live{token: e.SessionToken, key: k, identity: Identity{
		IdleTimeout: time.Duration(e.IdleTimeout) * time.Second, Role: e.Role,
	}}, nil
}
