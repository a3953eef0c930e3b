package pot.login.domain;

/**
 * A token that sign-out asks the provider to revoke (RFC 7009 §2.1): each kind says which it is, so that the
 * request carries the right {@code token_type_hint}. Sealed, so that a new kind is a compile error where the hint is
 * chosen.
 */
public sealed interface RevocableToken permits AccessToken, RefreshToken {

    String value();
}
