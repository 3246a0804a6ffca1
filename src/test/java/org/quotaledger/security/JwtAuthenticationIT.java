package org.quotaledger.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger.Response;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Bearer tokens, as an identity provider would issue them, signed with a key made here: the
 * service verifies them with the public key from a file, so nothing goes over the network.
 */
class JwtAuthenticationIT {

    private static final String SHIPMENT = """
            {"shipmentId":"JWT-1","consignee":{"id":"c1","name":"C1","headquartersCountry":"PL"},
             "destinationCountry":"PL","shipDate":"2025-03-01","items":[{"model":"A100","quantity":10}]}""";

    private static KeyPair keys;
    private static KeyPair otherKeys;
    private static LedgerOnPostgres service;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        otherKeys = generator.generateKeyPair();
        Path publicKey = Files.createTempFile("ledger-jwt", ".pem");
        Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        service = LedgerOnPostgres.start(
                "--spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + publicKey);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static String token(KeyPair signer, Instant expiry, List<String> roles, String exporterId) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("jwt-user").issueTime(new Date())
                .expirationTime(Date.from(expiry)).claim("roles", roles);
        if (exporterId != null) {
            claims.claim("exporter_id", exporterId);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.build());
        jwt.sign(new RSASSASigner((RSAPrivateKey) signer.getPrivate()));
        return jwt.serialize();
    }

    @Test
    void anExporterTokenRecordsForTheExporterItNames() throws Exception {
        String token = token(keys, Instant.now().plusSeconds(300), List.of("EXPORTER"), "exporter-jwt");

        Response recorded = service.ledger().withBearer(token).post("/api/v1/shipments", SHIPMENT);

        assertThat(recorded.status()).isEqualTo(201);
        assertThat(service.ledger().withBearer(token).get("/api/v1/shipments/JWT-1").body().get("exporterId").asText())
                .isEqualTo("exporter-jwt");
    }

    @Test
    void theRolesClaimDecidesWhatATokenMayDo() throws Exception {
        String auditor = token(keys, Instant.now().plusSeconds(300), List.of("AUDITOR"), null);

        assertThat(service.ledger().withBearer(auditor).get("/api/v1/balances/PL").status()).isEqualTo(200);
        assertThat(service.ledger().withBearer(auditor).post("/api/v1/shipments", SHIPMENT).status()).isEqualTo(403);
    }

    @Test
    void anExpiredTokenOrOneSignedByAnotherKeyIsUnauthenticated() throws Exception {
        String expired = token(keys, Instant.now().minusSeconds(600), List.of("AUDITOR"), null);
        String forged = token(otherKeys, Instant.now().plusSeconds(300), List.of("REGULATOR"), null);

        assertThat(service.ledger().withBearer(expired).get("/api/v1/balances").status()).isEqualTo(401);
        assertThat(service.ledger().withBearer(forged).get("/api/v1/balances").status()).isEqualTo(401);
    }
}
