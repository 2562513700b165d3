//! The closed sets of values the product names on the wire and in storage
//! (statuses, actions, roles, authorities, kinds, error codes): each is a
//! [`Code`], declared once with [`wire_codes!`](crate::wire_codes), so the
//! JSON, the database and the messages read and write the same spelling.

/// A value of a closed set with one spelling on the wire and in storage.
pub trait Code: Copy + Eq + std::fmt::Debug + 'static {
    /// Every value, in the order declared.
    const ALL: &'static [Self];
    /// What the set is called in errors and logs (e.g. "forecast status").
    const NAME: &'static str;

    /// The value as sent and stored.
    fn as_str(self) -> &'static str;

    /// Reads a value exactly as written; `None` for anything else.
    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }
}

/// Declares a closed set of wire codes from one list of `Variant => "wire"`
/// pairs: the enum, its [`Code`] implementation, `ALL`, `as_str`, `parse`,
/// `Display` and serde in that spelling. The code is also the key of its
/// translations, matched without a fallback, so a new code does not build
/// until every language has its text.
#[macro_export]
macro_rules! wire_codes {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($what:literal) {
            $($(#[$vmeta:meta])* $variant:ident => $wire:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every code, in the order declared.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The code as sent on the wire and stored.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }

            /// Reads a code exactly as written.
            pub fn parse(s: &str) -> Option<$name> {
                <$name as $crate::code::Code>::parse(s)
            }
        }

        impl $crate::code::Code for $name {
            const ALL: &'static [$name] = $name::ALL;
            const NAME: &'static str = $what;

            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                const NAMES: &[&str] = &[$($wire,)+];
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                $name::parse(&s).ok_or_else(|| ::serde::de::Error::unknown_variant(&s, NAMES))
            }
        }
    };
}
