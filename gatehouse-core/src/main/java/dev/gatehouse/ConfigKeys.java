package dev.gatehouse;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting Gatehouse reads, under Flask-Security's names and with its defaults (reference §3).
 * {@code SECURITY_}-prefixed constants drop the prefix in their Java name: {@link #TOKEN_MAX_AGE}
 * is {@code SECURITY_TOKEN_MAX_AGE}. Settings of features that Gatehouse has not built yet are
 * listed so that a Flask app's configuration ports over unchanged.
 */
public final class ConfigKeys {
    // Filled by the factory methods below while the class initializes, then only read.
    private static final Map<String, ConfigKey<?>> REGISTRY = new LinkedHashMap<>();

    private ConfigKeys() {
    }

    // ---- Flask and mail settings (no SECURITY_ prefix) ----
    /** Signs and encrypts everything; required. */
    public static final ConfigKey<String> SECRET_KEY = plain("SECRET_KEY", ConfigValues::string, null, String.class);
    /** Older keys still accepted when verifying (newest first). */
    public static final ConfigKey<List<String>> SECRET_KEY_FALLBACKS = plain("SECRET_KEY_FALLBACKS", ConfigValues::list, List.of(), List.class);
    /** Flask-WTF: lifetime of a CSRF token. */
    public static final ConfigKey<Duration> WTF_CSRF_TIME_LIMIT = plain("WTF_CSRF_TIME_LIMIT", ConfigValues::duration, Duration.ofHours(1), Duration.class);
    /** Flask-WTF: whether CSRF protection is on at all. */
    public static final ConfigKey<Boolean> WTF_CSRF_ENABLED = plain("WTF_CSRF_ENABLED", ConfigValues::bool, true, Boolean.class);
    /** SMTP host; unset means mail is written to the log. */
    public static final ConfigKey<String> MAIL_SERVER = plain("MAIL_SERVER", ConfigValues::string, null, String.class);
    /** SMTP port. */
    public static final ConfigKey<Integer> MAIL_PORT = plain("MAIL_PORT", ConfigValues::integer, 25, Integer.class);
    /** Use STARTTLS. */
    public static final ConfigKey<Boolean> MAIL_USE_TLS = plain("MAIL_USE_TLS", ConfigValues::bool, false, Boolean.class);
    /** Use SMTP over TLS. */
    public static final ConfigKey<Boolean> MAIL_USE_SSL = plain("MAIL_USE_SSL", ConfigValues::bool, false, Boolean.class);
    /** SMTP user. */
    public static final ConfigKey<String> MAIL_USERNAME = plain("MAIL_USERNAME", ConfigValues::string, null, String.class);
    /** SMTP password. */
    public static final ConfigKey<String> MAIL_PASSWORD = plain("MAIL_PASSWORD", ConfigValues::string, null, String.class);
    /** Default sender, used when SECURITY_EMAIL_SENDER is not set. */
    public static final ConfigKey<String> MAIL_DEFAULT_SENDER = plain("MAIL_DEFAULT_SENDER", ConfigValues::string, null, String.class);

    // ---- keys whose Flask form needs a Gatehouse reading ----
    /** Auth token lifetime; 0 means no limit. Flask-Security 5.9 default: 15 minutes. */
    public static final ConfigKey<Duration> TOKEN_MAX_AGE = duration("TOKEN_MAX_AGE", Duration.ofMinutes(15));
    /** Identity attributes for login: a list of names, or Flask-Security's list of {name: {...}} objects. */
    public static final ConfigKey<List<String>> USER_IDENTITY_ATTRIBUTES = key("USER_IDENTITY_ATTRIBUTES", IdentityAttributesParser::parse, List.of("email"), List.class);
    /** Schemes that skip the HMAC pre-hash: {@code true} for all, {@code false} for none, or a list. */
    public static final ConfigKey<List<String>> PASSWORD_SINGLE_HASH = key("PASSWORD_SINGLE_HASH", ConfigKeys::singleHash,
            List.of("django_argon2", "django_bcrypt", "django_bcrypt_sha256", "django_des_crypt", "django_pbkdf2_sha1",
                    "django_pbkdf2_sha256", "django_salted_md5", "django_salted_sha1", "plaintext"), List.class);
    /** {@code false} (off), {@code strict} or {@code best-effort}. */
    public static final ConfigKey<String> PASSWORD_CHECK_BREACHED = key("PASSWORD_CHECK_BREACHED", ConfigKeys::breached, null, String.class);
    /** Sender address of every mail; defaults to MAIL_DEFAULT_SENDER, else no-reply@localhost. */
    public static final ConfigKey<String> EMAIL_SENDER = string("EMAIL_SENDER", null);
    /** Where to go after login. */
    public static final ConfigKey<String> POST_LOGIN_VIEW = string("POST_LOGIN_VIEW", "/");
    /** Where to go after logout. */
    public static final ConfigKey<String> POST_LOGOUT_VIEW = string("POST_LOGOUT_VIEW", "/");
    /** Subject of the reset instructions mail. */
    public static final ConfigKey<String> EMAIL_SUBJECT_PASSWORD_RESET = string("EMAIL_SUBJECT_PASSWORD_RESET", "Password reset instructions");
    /** Subject of the mail sent after a reset. */
    public static final ConfigKey<String> EMAIL_SUBJECT_PASSWORD_NOTICE = string("EMAIL_SUBJECT_PASSWORD_NOTICE", "Your password has been reset");
    /** Subject of the mail sent after a change. */
    public static final ConfigKey<String> EMAIL_SUBJECT_PASSWORD_CHANGE_NOTICE = string("EMAIL_SUBJECT_PASSWORD_CHANGE_NOTICE", "Your password has been changed");
    /** Subject of the username recovery mail. */
    public static final ConfigKey<String> EMAIL_SUBJECT_USERNAME_RECOVERY = string("EMAIL_SUBJECT_USERNAME_RECOVERY", "Your requested username");
    /** Subject of the username change notice. */
    public static final ConfigKey<String> EMAIL_SUBJECT_USERNAME_CHANGE_NOTICE = string("EMAIL_SUBJECT_USERNAME_CHANGE_NOTICE", "Your username has been changed");
    /** Subject of the change-email instructions. */
    public static final ConfigKey<String> CHANGE_EMAIL_SUBJECT = string("CHANGE_EMAIL_SUBJECT", "Confirm your new email address");
    /** SMS service settings. */
    public static final ConfigKey<Map<String, String>> SMS_SERVICE_CONFIG = map("SMS_SERVICE_CONFIG", Map.of());

    // ---- Gatehouse's own settings (no Flask-Security counterpart) ----
    /**
     * The k-anonymity range API the breached-password check asks ({@code SECURITY_PASSWORD_CHECK_BREACHED}):
     * the first five hex digits of the password's SHA-1 are appended. Any server that answers
     * {@code SUFFIX:COUNT} lines will do, such as a local mirror of the Pwned Passwords corpus.
     */
    public static final ConfigKey<String> GATEHOUSE_PASSWORD_BREACHED_URL = plain("GATEHOUSE_PASSWORD_BREACHED_URL",
            ConfigValues::string, "https://api.pwnedpasswords.com/range/", String.class);
    /**
     * A local list used instead of the range API: a file of SHA-1 hashes ({@code HASH} or
     * {@code HASH:COUNT}, the Pwned Passwords format) and/or plain passwords, one a line.
     */
    public static final ConfigKey<String> GATEHOUSE_PASSWORD_BREACHED_FILE = plain("GATEHOUSE_PASSWORD_BREACHED_FILE",
            ConfigValues::string, null, String.class);
    /** How long the breached-password check waits for the range API, connecting and answering each. */
    public static final ConfigKey<Duration> GATEHOUSE_PASSWORD_BREACHED_TIMEOUT = plain("GATEHOUSE_PASSWORD_BREACHED_TIMEOUT",
            ConfigValues::duration, Duration.ofSeconds(3), Duration.class);
    /** Whether the old address is told when an account's email changes (Flask-Security sends no such mail). */
    public static final ConfigKey<Boolean> GATEHOUSE_SEND_CHANGE_EMAIL_NOTICE = plain("GATEHOUSE_SEND_CHANGE_EMAIL_NOTICE",
            ConfigValues::bool, true, Boolean.class);
    /** Subject of the mail to the old address after an email change. */
    public static final ConfigKey<String> GATEHOUSE_EMAIL_SUBJECT_CHANGE_EMAIL_NOTICE = plain(
            "GATEHOUSE_EMAIL_SUBJECT_CHANGE_EMAIL_NOTICE", ConfigValues::string, "Your email address has been changed", String.class);

    // ---- the rest of Flask-Security's settings, as reference §3 lists them ----
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> BLUEPRINT_NAME = string("BLUEPRINT_NAME", "security");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> URL_PREFIX = string("URL_PREFIX", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> SUBDOMAIN = string("SUBDOMAIN", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> STATIC_FOLDER = string("STATIC_FOLDER", "static");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> STATIC_FOLDER_URL = string("STATIC_FOLDER_URL", "/fs-static");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> FLASH_MESSAGES = bool("FLASH_MESSAGES", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> RETURN_GENERIC_RESPONSES = bool("RETURN_GENERIC_RESPONSES", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> INPUT_NORMALIZE_FORM = string("INPUT_NORMALIZE_FORM", "NFKD");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> I18N_DOMAIN = string("I18N_DOMAIN", "flask_security");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> I18N_DIRNAME = string("I18N_DIRNAME", "builtin");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Map<String, String>> EMAIL_VALIDATOR_ARGS = map("EMAIL_VALIDATOR_ARGS", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<List<String>> API_ENABLED_METHODS = list("API_ENABLED_METHODS", List.of("session", "token"));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> DEFAULT_REMEMBER_ME = bool("DEFAULT_REMEMBER_ME", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> DEFAULT_HTTP_AUTH_REALM = string("DEFAULT_HTTP_AUTH_REALM", "Login Required");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> ANONYMOUS_USER_DISABLED = bool("ANONYMOUS_USER_DISABLED", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> BACKWARDS_COMPAT_AUTH_TOKEN = bool("BACKWARDS_COMPAT_AUTH_TOKEN", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> JOIN_USER_ROLES = bool("JOIN_USER_ROLES", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Map<String, String>> CACHE_CONTROL = map("CACHE_CONTROL", Map.of("private", "true", "no-store", "true"));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> SCRIPT_NONCE_KEY = string("SCRIPT_NONCE_KEY", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> CLI_USERS_NAME = string("CLI_USERS_NAME", "users");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> CLI_ROLES_NAME = string("CLI_ROLES_NAME", "roles");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> TOKEN_AUTHENTICATION_KEY = string("TOKEN_AUTHENTICATION_KEY", "auth_token");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> TOKEN_AUTHENTICATION_HEADER = string("TOKEN_AUTHENTICATION_HEADER", "Authentication-Token");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Duration> FRESHNESS = duration("FRESHNESS", Duration.ofHours(24));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Duration> FRESHNESS_GRACE_PERIOD = duration("FRESHNESS_GRACE_PERIOD", Duration.ofHours(1));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> FRESHNESS_ALLOW_AUTH_TOKEN = bool("FRESHNESS_ALLOW_AUTH_TOKEN", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> REFRESH_TOKEN = bool("REFRESH_TOKEN", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> REFRESH_TOKEN_URL = string("REFRESH_TOKEN_URL", "/refresh-token");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Duration> REFRESH_TOKEN_MAX_AGE = duration("REFRESH_TOKEN_MAX_AGE", Duration.ofDays(90));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Duration> REFRESH_TOKEN_MAX_IDLE = duration("REFRESH_TOKEN_MAX_IDLE", Duration.ofDays(7));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> REFRESH_TOKEN_CLEANUP_EXPIRED = bool("REFRESH_TOKEN_CLEANUP_EXPIRED", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> REFRESH_TOKEN_CLEANUP_REVOKED = bool("REFRESH_TOKEN_CLEANUP_REVOKED", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> REFRESH_TOKEN_COOKIE_NAME = string("REFRESH_TOKEN_COOKIE_NAME", "fs_refresh");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Map<String, String>> REFRESH_TOKEN_COOKIE = map("REFRESH_TOKEN_COOKIE", Map.of("samesite", "strict", "httponly", "true", "secure", "true"));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> REFRESH_TOKEN_SALT = string("REFRESH_TOKEN_SALT", "refresh-token-salt");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> PASSWORD_HASH = string("PASSWORD_HASH", "argon2");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> PASSWORD_SALT = string("PASSWORD_SALT", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<List<String>> PASSWORD_SCHEMES = list("PASSWORD_SCHEMES", List.of("bcrypt", "argon2", "des_crypt", "pbkdf2_sha256", "pbkdf2_sha512", "sha256_crypt", "sha512_crypt", "plaintext"));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<List<String>> DEPRECATED_PASSWORD_SCHEMES = list("DEPRECATED_PASSWORD_SCHEMES", List.of("auto"));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Map<String, String>> PASSWORD_HASH_PASSLIB_OPTIONS = map("PASSWORD_HASH_PASSLIB_OPTIONS", Map.of());
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Map<String, String>> PASSWORD_HASH_OPTIONS = map("PASSWORD_HASH_OPTIONS", Map.of());
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<List<String>> HASHING_SCHEMES = list("HASHING_SCHEMES", List.of("sha256_crypt", "hex_md5"));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<List<String>> DEPRECATED_HASHING_SCHEMES = list("DEPRECATED_HASHING_SCHEMES", List.of("auto"));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Integer> PASSWORD_LENGTH_MIN = integer("PASSWORD_LENGTH_MIN", 8);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> PASSWORD_COMPLEXITY_CHECKER = string("PASSWORD_COMPLEXITY_CHECKER", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Integer> ZXCVBN_MINIMUM_SCORE = integer("ZXCVBN_MINIMUM_SCORE", 3);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Integer> PASSWORD_BREACHED_COUNT = integer("PASSWORD_BREACHED_COUNT", 1);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> PASSWORD_NORMALIZE_FORM = string("PASSWORD_NORMALIZE_FORM", "NFKD");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> PASSWORD_REQUIRED = bool("PASSWORD_REQUIRED", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> PASSWORD_CONFIRM_REQUIRED = bool("PASSWORD_CONFIRM_REQUIRED", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> LOGIN_URL = string("LOGIN_URL", "/login");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> LOGOUT_URL = string("LOGOUT_URL", "/logout");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<List<String>> LOGOUT_METHODS = list("LOGOUT_METHODS", List.of("POST"));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> LOGOUT_CSRF = bool("LOGOUT_CSRF", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> VERIFY_URL = string("VERIFY_URL", "/verify");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> POST_VERIFY_VIEW = string("POST_VERIFY_VIEW", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> UNAUTHORIZED_VIEW = string("UNAUTHORIZED_VIEW", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> LOGIN_ERROR_VIEW = string("LOGIN_ERROR_VIEW", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> VERIFY_ERROR_VIEW = string("VERIFY_ERROR_VIEW", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> REDIRECT_BEHAVIOR = string("REDIRECT_BEHAVIOR", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> REDIRECT_HOST = string("REDIRECT_HOST", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> REDIRECT_ALLOW_SUBDOMAINS = bool("REDIRECT_ALLOW_SUBDOMAINS", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> REDIRECT_BASE_DOMAIN = string("REDIRECT_BASE_DOMAIN", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<List<String>> REDIRECT_ALLOWED_SUBDOMAINS = list("REDIRECT_ALLOWED_SUBDOMAINS", List.of());
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> REQUIRES_CONFIRMATION_ERROR_VIEW = string("REQUIRES_CONFIRMATION_ERROR_VIEW", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> US_SIGNIN_REPLACES_LOGIN = bool("US_SIGNIN_REPLACES_LOGIN", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<List<String>> CSRF_PROTECT_MECHANISMS = list("CSRF_PROTECT_MECHANISMS", List.of("basic", "session", "token"));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> CSRF_IGNORE_UNAUTH_ENDPOINTS = bool("CSRF_IGNORE_UNAUTH_ENDPOINTS", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> CSRF_COOKIE_NAME = string("CSRF_COOKIE_NAME", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Map<String, String>> CSRF_COOKIE = map("CSRF_COOKIE", Map.of("samesite", "strict", "httponly", "false", "secure", "true"));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> CSRF_HEADER = string("CSRF_HEADER", "X-XSRF-Token");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> CSRF_COOKIE_REFRESH_EACH_REQUEST = bool("CSRF_COOKIE_REFRESH_EACH_REQUEST", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> REGISTERABLE = bool("REGISTERABLE", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> REGISTER_URL = string("REGISTER_URL", "/register");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> POST_REGISTER_VIEW = string("POST_REGISTER_VIEW", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> SEND_REGISTER_EMAIL = bool("SEND_REGISTER_EMAIL", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> EMAIL_SUBJECT_REGISTER = string("EMAIL_SUBJECT_REGISTER", "Welcome");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> USE_REGISTER_V2 = bool("USE_REGISTER_V2", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> USERNAME_ENABLE = bool("USERNAME_ENABLE", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> USERNAME_REQUIRED = bool("USERNAME_REQUIRED", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Integer> USERNAME_MIN_LENGTH = integer("USERNAME_MIN_LENGTH", 4);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Integer> USERNAME_MAX_LENGTH = integer("USERNAME_MAX_LENGTH", 32);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> USERNAME_NORMALIZE_FORM = string("USERNAME_NORMALIZE_FORM", "NFKD");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> USERNAME_RECOVERY = bool("USERNAME_RECOVERY", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> USERNAME_RECOVERY_URL = string("USERNAME_RECOVERY_URL", "/recover-username");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> CHANGE_USERNAME = bool("CHANGE_USERNAME", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> CHANGE_USERNAME_URL = string("CHANGE_USERNAME_URL", "/change-username");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> POST_CHANGE_USERNAME_VIEW = string("POST_CHANGE_USERNAME_VIEW", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> SEND_USERNAME_CHANGE_EMAIL = bool("SEND_USERNAME_CHANGE_EMAIL", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> CONFIRMABLE = bool("CONFIRMABLE", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> CONFIRM_URL = string("CONFIRM_URL", "/confirm");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Duration> CONFIRM_EMAIL_WITHIN = duration("CONFIRM_EMAIL_WITHIN", Duration.ofDays(2));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> LOGIN_WITHOUT_CONFIRMATION = bool("LOGIN_WITHOUT_CONFIRMATION", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> AUTO_LOGIN_AFTER_CONFIRM = bool("AUTO_LOGIN_AFTER_CONFIRM", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> POST_CONFIRM_VIEW = string("POST_CONFIRM_VIEW", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> CONFIRM_ERROR_VIEW = string("CONFIRM_ERROR_VIEW", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> CONFIRM_SALT = string("CONFIRM_SALT", "confirm-salt");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> EMAIL_SUBJECT_CONFIRM = string("EMAIL_SUBJECT_CONFIRM", "Please confirm your email");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> RECOVERABLE = bool("RECOVERABLE", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> RESET_URL = string("RESET_URL", "/reset");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Duration> RESET_PASSWORD_WITHIN = duration("RESET_PASSWORD_WITHIN", Duration.ofDays(1));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> RESET_VIEW = string("RESET_VIEW", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> RESET_ERROR_VIEW = string("RESET_ERROR_VIEW", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> POST_RESET_VIEW = string("POST_RESET_VIEW", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> AUTO_LOGIN_AFTER_RESET = bool("AUTO_LOGIN_AFTER_RESET", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> SEND_PASSWORD_RESET_EMAIL = bool("SEND_PASSWORD_RESET_EMAIL", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> SEND_PASSWORD_RESET_NOTICE_EMAIL = bool("SEND_PASSWORD_RESET_NOTICE_EMAIL", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> RESET_SALT = string("RESET_SALT", "reset-salt");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> CHANGEABLE = bool("CHANGEABLE", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> CHANGE_URL = string("CHANGE_URL", "/change");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> POST_CHANGE_VIEW = string("POST_CHANGE_VIEW", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> SEND_PASSWORD_CHANGE_EMAIL = bool("SEND_PASSWORD_CHANGE_EMAIL", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> CHANGE_SALT = string("CHANGE_SALT", "change-salt");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> CHANGE_EMAIL = bool("CHANGE_EMAIL", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> CHANGE_EMAIL_URL = string("CHANGE_EMAIL_URL", "/change-email");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> CHANGE_EMAIL_CONFIRM_URL = string("CHANGE_EMAIL_CONFIRM_URL", "/change-email-confirm");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Duration> CHANGE_EMAIL_WITHIN = duration("CHANGE_EMAIL_WITHIN", Duration.ofHours(2));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> CHANGE_EMAIL_SALT = string("CHANGE_EMAIL_SALT", "change-email-salt");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> POST_CHANGE_EMAIL_VIEW = string("POST_CHANGE_EMAIL_VIEW", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> CHANGE_EMAIL_ERROR_VIEW = string("CHANGE_EMAIL_ERROR_VIEW", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> TWO_FACTOR = bool("TWO_FACTOR", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> TWO_FACTOR_REQUIRED = bool("TWO_FACTOR_REQUIRED", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<List<String>> TWO_FACTOR_ENABLED_METHODS = list("TWO_FACTOR_ENABLED_METHODS", List.of("email", "authenticator", "sms"));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Integer> TWO_FACTOR_AUTHENTICATOR_VALIDITY = integer("TWO_FACTOR_AUTHENTICATOR_VALIDITY", 120);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Integer> TWO_FACTOR_MAIL_VALIDITY = integer("TWO_FACTOR_MAIL_VALIDITY", 300);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Integer> TWO_FACTOR_SMS_VALIDITY = integer("TWO_FACTOR_SMS_VALIDITY", 120);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> TWO_FACTOR_SETUP_URL = string("TWO_FACTOR_SETUP_URL", "/tf-setup");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> TWO_FACTOR_TOKEN_VALIDATION_URL = string("TWO_FACTOR_TOKEN_VALIDATION_URL", "/tf-validate");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> TWO_FACTOR_RESCUE_URL = string("TWO_FACTOR_RESCUE_URL", "/tf-rescue");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> TWO_FACTOR_SELECT_URL = string("TWO_FACTOR_SELECT_URL", "/tf-select");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> TWO_FACTOR_POST_SETUP_VIEW = string("TWO_FACTOR_POST_SETUP_VIEW", ".two_factor_setup");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> TWO_FACTOR_ERROR_VIEW = string("TWO_FACTOR_ERROR_VIEW", ".login");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Duration> TWO_FACTOR_SETUP_WITHIN = duration("TWO_FACTOR_SETUP_WITHIN", Duration.ofMinutes(30));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> TWO_FACTOR_SETUP_SALT = string("TWO_FACTOR_SETUP_SALT", "tf-setup-salt");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> TWO_FACTOR_ALWAYS_VALIDATE = bool("TWO_FACTOR_ALWAYS_VALIDATE", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Duration> TWO_FACTOR_LOGIN_VALIDITY = duration("TWO_FACTOR_LOGIN_VALIDITY", Duration.ofDays(30));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> TWO_FACTOR_VALIDITY_SALT = string("TWO_FACTOR_VALIDITY_SALT", "tf-validity-salt");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> TWO_FACTOR_VALIDITY_COOKIE_NAME = string("TWO_FACTOR_VALIDITY_COOKIE_NAME", "tf_validity");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Map<String, String>> TWO_FACTOR_VALIDITY_COOKIE = map("TWO_FACTOR_VALIDITY_COOKIE", Map.of("httponly", "true", "secure", "true", "samesite", "strict"));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> TWO_FACTOR_RESCUE_EMAIL = bool("TWO_FACTOR_RESCUE_EMAIL", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> TWO_FACTOR_RESCUE_MAIL = string("TWO_FACTOR_RESCUE_MAIL", "no-reply@localhost");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> EMAIL_SUBJECT_TWO_FACTOR = string("EMAIL_SUBJECT_TWO_FACTOR", "Two-Factor Login");
    /** Subject of the mail asking the administrator for help with two-factor. */
    public static final ConfigKey<String> EMAIL_SUBJECT_TWO_FACTOR_RESCUE = string("EMAIL_SUBJECT_TWO_FACTOR_RESCUE", "Two-Factor Rescue");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Map<String, String>> TOTP_SECRETS = map("TOTP_SECRETS", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> TOTP_ISSUER = string("TOTP_ISSUER", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> SMS_SERVICE = string("SMS_SERVICE", "Dummy");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> PHONE_REGION_DEFAULT = string("PHONE_REGION_DEFAULT", "US");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> MULTI_FACTOR_RECOVERY_CODES = bool("MULTI_FACTOR_RECOVERY_CODES", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Integer> MULTI_FACTOR_RECOVERY_CODES_N = integer("MULTI_FACTOR_RECOVERY_CODES_N", 5);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> MULTI_FACTOR_RECOVERY_CODES_URL = string("MULTI_FACTOR_RECOVERY_CODES_URL", "/mf-recovery-codes");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> MULTI_FACTOR_RECOVERY_URL = string("MULTI_FACTOR_RECOVERY_URL", "/mf-recovery");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<List<String>> MULTI_FACTOR_RECOVERY_CODES_KEYS = list("MULTI_FACTOR_RECOVERY_CODES_KEYS", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Duration> MULTI_FACTOR_RECOVERY_CODE_TTL = duration("MULTI_FACTOR_RECOVERY_CODE_TTL", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> UNIFIED_SIGNIN = bool("UNIFIED_SIGNIN", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> US_SIGNIN_URL = string("US_SIGNIN_URL", "/us-signin");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> US_SIGNIN_SEND_CODE_URL = string("US_SIGNIN_SEND_CODE_URL", "/us-signin/send-code");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> US_SETUP_URL = string("US_SETUP_URL", "/us-setup");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> US_VERIFY_URL = string("US_VERIFY_URL", "/us-verify");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> US_VERIFY_SEND_CODE_URL = string("US_VERIFY_SEND_CODE_URL", "/us-verify/send-code");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> US_VERIFY_LINK_URL = string("US_VERIFY_LINK_URL", "/us-verify-link");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> US_POST_SETUP_VIEW = string("US_POST_SETUP_VIEW", ".us_setup");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<List<String>> US_ENABLED_METHODS = list("US_ENABLED_METHODS", List.of("password", "email", "authenticator", "sms"));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<List<String>> US_MFA_REQUIRED = list("US_MFA_REQUIRED", List.of("password", "email"));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Integer> US_TOKEN_VALIDITY = integer("US_TOKEN_VALIDITY", 120);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Duration> US_SETUP_WITHIN = duration("US_SETUP_WITHIN", Duration.ofMinutes(30));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> US_SETUP_SALT = string("US_SETUP_SALT", "us-setup-salt");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> US_EMAIL_SUBJECT = string("US_EMAIL_SUBJECT", "Verification Code");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> WEBAUTHN = bool("WEBAUTHN", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> WAN_RP_NAME = string("WAN_RP_NAME", "My Flask App");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> WAN_REGISTER_URL = string("WAN_REGISTER_URL", "/wan-register");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> WAN_SIGNIN_URL = string("WAN_SIGNIN_URL", "/wan-signin");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> WAN_DELETE_URL = string("WAN_DELETE_URL", "/wan-delete");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> WAN_VERIFY_URL = string("WAN_VERIFY_URL", "/wan-verify");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> WAN_POST_REGISTER_VIEW = string("WAN_POST_REGISTER_VIEW", ".wan_register");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Duration> WAN_REGISTER_WITHIN = duration("WAN_REGISTER_WITHIN", Duration.ofMinutes(30));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Duration> WAN_SIGNIN_WITHIN = duration("WAN_SIGNIN_WITHIN", Duration.ofMinutes(1));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Integer> WAN_REGISTER_TIMEOUT = integer("WAN_REGISTER_TIMEOUT", 60000);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Integer> WAN_SIGNIN_TIMEOUT = integer("WAN_SIGNIN_TIMEOUT", 60000);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Integer> WAN_CHALLENGE_BYTES = integer("WAN_CHALLENGE_BYTES", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> WAN_SALT = string("WAN_SALT", "wan-salt");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> WAN_ALLOW_AS_FIRST_FACTOR = bool("WAN_ALLOW_AS_FIRST_FACTOR", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> WAN_ALLOW_AS_MULTI_FACTOR = bool("WAN_ALLOW_AS_MULTI_FACTOR", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> WAN_ALLOW_USER_HINTS = bool("WAN_ALLOW_USER_HINTS", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<List<String>> WAN_ALLOW_AS_VERIFY = list("WAN_ALLOW_AS_VERIFY", List.of("first", "secondary"));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<List<String>> WAN_NAME_ALLOWED_CHARS = list("WAN_NAME_ALLOWED_CHARS", List.of("L", "N", "Pc", "Pd", "Zs"));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Integer> WAN_NAME_MAX_LENGTH = integer("WAN_NAME_MAX_LENGTH", 64);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> PASSWORDLESS = bool("PASSWORDLESS", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Duration> LOGIN_WITHIN = duration("LOGIN_WITHIN", Duration.ofDays(1));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> LOGIN_SALT = string("LOGIN_SALT", "login-salt");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> EMAIL_SUBJECT_PASSWORDLESS = string("EMAIL_SUBJECT_PASSWORDLESS", "Login instructions");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> OAUTH_ENABLE = bool("OAUTH_ENABLE", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<List<String>> OAUTH_BUILTIN_PROVIDERS = list("OAUTH_BUILTIN_PROVIDERS", List.of("github", "google"));
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> OAUTH_START_URL = string("OAUTH_START_URL", "/login/oauthstart");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> OAUTH_RESPONSE_URL = string("OAUTH_RESPONSE_URL", "/login/oauthresponse");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> OAUTH_VERIFY_START_URL = string("OAUTH_VERIFY_START_URL", "/login/oauth-verify-start");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> OAUTH_VERIFY_RESPONSE_URL = string("OAUTH_VERIFY_RESPONSE_URL", "/login/oauth-verify-response");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> POST_OAUTH_LOGIN_VIEW = string("POST_OAUTH_LOGIN_VIEW", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> POST_OAUTH_VERIFY_VIEW = string("POST_OAUTH_VERIFY_VIEW", null);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> TRACKABLE = bool("TRACKABLE", false);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> EMAIL_PLAINTEXT = bool("EMAIL_PLAINTEXT", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<Boolean> EMAIL_HTML = bool("EMAIL_HTML", true);
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> REMEMBER_SALT = string("REMEMBER_SALT", "remember-salt");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> LOGIN_USER_TEMPLATE = string("LOGIN_USER_TEMPLATE", "security/login_user.html");
    /** Flask-Security setting of the same name. */
    public static final ConfigKey<String> EMAIL_TEMPLATE_CONFIRM = string("EMAIL_TEMPLATE_CONFIRM", "security/email/confirmation_instructions");

    /** Every key, by its Flask name ({@code SECURITY_…}, {@code SECRET_KEY}, {@code MAIL_…}). */
    public static Map<String, ConfigKey<?>> all() {
        return java.util.Collections.unmodifiableMap(REGISTRY);
    }

    private static List<String> singleHash(String s) {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("true")) {
            return List.of("*");
        }
        if (lower.equals("false")) {
            return List.of();
        }
        return ConfigValues.list(s);
    }

    private static String breached(String s) {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        return switch (lower) {
            case "false", "none", "" -> null;
            case "strict", "best-effort" -> lower;
            default -> throw new IllegalArgumentException("expected false, strict or best-effort, got '" + s + "'");
        };
    }

    private static <T> ConfigKey<T> plain(String name, java.util.function.Function<String, T> p, T def, Class<?> type) {
        ConfigKey<T> k = new ConfigKey<>(name, type, p, def);
        REGISTRY.put(name, k);
        return k;
    }

    private static <T> ConfigKey<T> key(String name, java.util.function.Function<String, T> p, T def, Class<?> type) {
        return plain("SECURITY_" + name, p, def, type);
    }

    private static ConfigKey<Boolean> bool(String name, boolean def) {
        return key(name, ConfigValues::bool, def, Boolean.class);
    }

    private static ConfigKey<String> string(String name, String def) {
        return key(name, ConfigValues::string, def, String.class);
    }

    private static ConfigKey<Integer> integer(String name, Integer def) {
        return key(name, ConfigValues::integer, def, Integer.class);
    }

    private static ConfigKey<Duration> duration(String name, Duration def) {
        return key(name, ConfigValues::duration, def, Duration.class);
    }

    private static ConfigKey<List<String>> list(String name, List<String> def) {
        return key(name, ConfigValues::list, def, List.class);
    }

    private static ConfigKey<Map<String, String>> map(String name, Map<String, String> def) {
        return key(name, ConfigValues::map, def, Map.class);
    }
}
