package dev.gatehouse.token;

/** Values computed with CPython 3.11's standard library (hmac, hashlib, crypt) for the tests. */
final class PythonVectors {
    /** {@code hmac.new("clé".encode("latin1"), b"u", hashlib.sha512).hexdigest()} */
    static final String LATIN1_REMEMBER_DIGEST = "898484d2b3d18950588378622b17a37e21d420fd114e24c581704a355162696d"
            + "14f1dcbaf88a2df8bb87d0c8bf050c56cf0ff05ebb172582dbfaee30f87a5c41";
    /** {@code hashlib.md5(b"a@b.c").hexdigest()} (passlib hex_md5) */
    static final String MD5_OF_A_B_C = "5d60d4e28066df254d5452f92c910092";
    /** {@code crypt.crypt("a@b.c", "$5$saltsaltsaltsalt")}: sha256_crypt, implicit 5000 rounds */
    static final String SHA256_CRYPT_5000 = "$5$saltsaltsaltsalt$moHkzkLyIrHyBr40rqeYhbCEnMRM7ktXf65V57nWKy/";
    /** {@code crypt.crypt("a@b.c", "$5$rounds=1000$shortsalt")} */
    static final String SHA256_CRYPT_1000 = "$5$rounds=1000$shortsalt$TDoFNSpvKfNrVKFPZl5KiyA4H6e/fs/hCg74/D8/YY5";

    private PythonVectors() {
    }
}
