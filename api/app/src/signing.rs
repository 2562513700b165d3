//! The service's signature on HQM decision documents (SPEC §14.5): Ed25519,
//! with a key configured like the JWT keys (`HQM_SIGNING_KEY`, a PKCS#8 PEM
//! private key) or, in development, generated once and kept in `DATA_DIR`.
//! What is signed is the canonical JSON of the document's content (RFC 8785:
//! object keys sorted, no white space, strings escaped as JSON requires).

use base64::Engine;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use sha2::{Digest, Sha256};

/// The signature algorithm, as documents name it.
pub const ALGORITHM: &str = "Ed25519";

/// The key that signs decisions.
pub struct Signer {
    key: SigningKey,
    /// The first 16 hex digits of the SHA-256 of the public key: names the
    /// key in each document, so a rotated key can be told apart.
    key_id: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("key_id", &self.key_id).finish_non_exhaustive()
    }
}

impl Signer {
    /// The key of `HQM_SIGNING_KEY` (`key_file`), or in development the one
    /// kept in `DATA_DIR` (made on first use). Production without the
    /// setting is an error.
    pub fn load(
        key_file: Option<&std::path::Path>,
        production: bool,
        data_dir: &std::path::Path,
    ) -> Result<Signer, String> {
        match key_file {
            Some(path) => {
                let pem =
                    std::fs::read_to_string(path).map_err(|e| format!("HQM_SIGNING_KEY={}: {e}", path.display()))?;
                Signer::from_pem(&pem).map_err(|e| format!("HQM_SIGNING_KEY={}: {e}", path.display()))
            }
            None if production => {
                Err("APP_ENV=production needs HQM_SIGNING_KEY (a PKCS#8 PEM Ed25519 private key)".into())
            }
            None => dev_key(data_dir),
        }
    }

    /// A key from a PKCS#8 PEM document.
    pub fn from_pem(pem: &str) -> Result<Signer, String> {
        let key = SigningKey::from_pkcs8_pem(pem).map_err(|e| format!("not a PKCS#8 PEM Ed25519 private key: {e}"))?;
        Ok(Signer::new(key))
    }

    fn new(key: SigningKey) -> Signer {
        let digest = Sha256::digest(key.verifying_key().as_bytes());
        Signer { key_id: hex::encode(&digest[..8]), key }
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The signature of `message`, base64 (standard alphabet, padded).
    pub fn sign(&self, message: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.key.sign(message).to_bytes())
    }

    /// Whether `signature` (base64) is this key's signature of `message`.
    pub fn verify(&self, message: &[u8], signature: &str) -> bool {
        verify_with(&self.key.verifying_key(), message, signature)
    }

    /// The public key as a PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
    pub fn public_key_pem(&self) -> Result<String, String> {
        self.key.verifying_key().to_public_key_pem(Default::default()).map_err(|e| e.to_string())
    }

    /// The public key's 32 bytes, base64url without padding (a JWK's `x`, RFC 8037).
    pub fn public_key_x(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(self.key.verifying_key().as_bytes())
    }
}

/// Whether `signature` (base64) by `key` signs `message`.
pub fn verify_with(key: &VerifyingKey, message: &[u8], signature: &str) -> bool {
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(signature) else { return false };
    let Ok(sig) = Signature::from_slice(&bytes) else { return false };
    key.verify(message, &sig).is_ok()
}

/// The development key: generated on first run, kept in `DATA_DIR` beside
/// the development JWT secret.
fn dev_key(data_dir: &std::path::Path) -> Result<Signer, String> {
    let path = data_dir.join("dev-hqm-signing-key.pem");
    if let Ok(pem) = std::fs::read_to_string(&path) {
        if let Ok(s) = Signer::from_pem(&pem) {
            return Ok(s);
        }
    }
    std::fs::create_dir_all(data_dir).map_err(|e| format!("{}: {e}", data_dir.display()))?;
    let seed: [u8; 32] = rand::random();
    let key = SigningKey::from_bytes(&seed);
    let pem = key.to_pkcs8_pem(Default::default()).map_err(|e| e.to_string())?;
    std::fs::write(&path, pem.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Signer::new(key))
}

/// The canonical form of a JSON value (RFC 8785 for the values this API
/// signs: integers, strings, booleans, null, arrays and objects with ASCII
/// keys): keys sorted, no insignificant white space.
pub fn canonical_json(v: &serde_json::Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            // RFC 8785 sorts by UTF-16 code units.
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                // A JSON string as serde_json writes it (Display of a Value cannot fail).
                out.push_str(&Value::from(k.as_str()).to_string());
                out.push(':');
                write_canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_and_drops_white_space() {
        let v: serde_json::Value = serde_json::from_str(r#"{ "b": [1, {"z": null, "a": "ə\n"}], "a": true }"#).unwrap();
        assert_eq!(canonical_json(&v), r#"{"a":true,"b":[1,{"a":"ə\n","z":null}]}"#);
    }

    #[test]
    fn a_signature_verifies_and_a_changed_message_does_not() {
        let s = Signer::new(SigningKey::from_bytes(&[7; 32]));
        let sig = s.sign(b"{\"outcome\":\"recognised\"}");
        assert!(s.verify(b"{\"outcome\":\"recognised\"}", &sig));
        assert!(!s.verify(b"{\"outcome\":\"refused\"}", &sig));
        assert!(!s.verify(b"x", "not base64"));
        assert_eq!(s.key_id().len(), 16);
        // The PEM round-trips, and so does the key it names.
        let pem = s.key.to_pkcs8_pem(Default::default()).unwrap();
        assert_eq!(Signer::from_pem(&pem).unwrap().key_id(), s.key_id());
        assert!(s.public_key_pem().unwrap_or_default().starts_with("-----BEGIN PUBLIC KEY-----"));
        assert!(Signer::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").is_err());
    }
}
