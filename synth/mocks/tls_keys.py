"""Key material as the TLS provider hands it out, made from a seed so a graph is repeatable.

A program passes ``PrivateKey.public_key_openssh`` to a VM's SSH key or a cert's PEM to a gateway;
the value lands in the graph, so it must be the same on every run, and real (parseable PEM and
OpenSSH forms) so programs that load or fingerprint it keep working. ``cryptography`` makes
RSA keys only from a system random source, so RSA primes are found here from a seeded generator
(a sieve and Miller-Rabin); ECDSA and Ed25519 keys take their private scalar/seed straight from it.
RSA keys are capped at 2048 bits offline: a 4096-bit search costs seconds and nothing checks the
size of a key that will never be deployed.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import math
import random
from dataclasses import dataclass
from typing import Any

RSA_MAX_BITS = 2048
_CURVES = {"P224": "SECP224R1", "P256": "SECP256R1", "P384": "SECP384R1", "P521": "SECP521R1"}


@dataclass(frozen=True)
class KeyMaterial:
    algorithm: str
    private_key_pem: str
    private_key_pem_pkcs8: str
    private_key_openssh: str
    public_key_pem: str
    public_key_openssh: str
    fingerprint_md5: str
    fingerprint_sha256: str

    def outputs(self) -> dict[str, Any]:
        """The wire names ``tls.PrivateKey`` answers with."""
        return {
            "privateKeyPem": self.private_key_pem, "privateKeyPemPkcs8": self.private_key_pem_pkcs8,
            "privateKeyOpenssh": self.private_key_openssh, "publicKeyPem": self.public_key_pem,
            "publicKeyOpenssh": self.public_key_openssh, "publicKeyFingerprintMd5": self.fingerprint_md5,
            "publicKeyFingerprintSha256": self.fingerprint_sha256,
        }


@functools.lru_cache(maxsize=64)
def private_key(seed: str, algorithm: str = "RSA", rsa_bits: int = 2048, curve: str = "P224") -> KeyMaterial:
    """A key of ``algorithm`` (RSA, ECDSA or ED25519) derived from ``seed``."""
    key = _make_key(seed, algorithm.upper(), rsa_bits, curve.upper())
    return material(key, algorithm.upper())


def _make_key(seed: str, algorithm: str, rsa_bits: int, curve: str) -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    digest = hashlib.sha512(seed.encode()).digest()
    if algorithm == "ED25519":
        return ed25519.Ed25519PrivateKey.from_private_bytes(digest[:32])
    if algorithm == "ECDSA":
        curve_cls = getattr(ec, _CURVES.get(curve, "SECP256R1"))()
        order_bits = curve_cls.key_size
        scalar = int.from_bytes(digest, "big") % (2 ** (order_bits - 1)) + 1
        return ec.derive_private_key(scalar, curve_cls)
    return _rsa_key(digest, min(max(int(rsa_bits or 2048), 1024), RSA_MAX_BITS))


def _rsa_key(digest: bytes, bits: int) -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    rng = random.Random(digest)
    e = 65537
    while True:
        half = bits // 2
        p = _next_prime(rng.getrandbits(half) | (3 << (half - 2)), rng)
        q = _next_prime(rng.getrandbits(half) | (3 << (half - 2)), rng)
        phi = (p - 1) * (q - 1)
        if p != q and phi % e:
            break
    d = pow(e, -1, phi)
    numbers = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, p * q))
    return numbers.private_key()


_SMALL_PRIMES = math.prod(n for n in range(3, 2000, 2) if all(n % d for d in range(3, int(n ** 0.5) + 1, 2)))


def _next_prime(start: int, rng: random.Random) -> int:
    """The first probable prime at or after ``start``: small-prime sieve, then 5 Miller-Rabin
    rounds with witnesses from the seeded generator (FIPS 186-5 asks 5 for 1024-bit candidates)."""
    candidate = start | 1
    while True:
        if math.gcd(candidate, _SMALL_PRIMES) == 1 and _miller_rabin(candidate, rng):
            return candidate
        candidate += 2


def _miller_rabin(n: int, rng: random.Random, rounds: int = 5) -> bool:
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for _ in range(rounds):
        x = pow(rng.randrange(2, n - 2), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def material(key: Any, algorithm: str) -> KeyMaterial:
    from cryptography.hazmat.primitives import serialization as s

    from cryptography.hazmat.primitives.asymmetric import ed25519

    public = key.public_key()
    # Ed25519 has no "traditional" PEM: the provider's private_key_pem is PKCS#8 for it
    traditional = s.PrivateFormat.PKCS8 if isinstance(key, ed25519.Ed25519PrivateKey) else s.PrivateFormat.TraditionalOpenSSL
    try:
        openssh_public = public.public_bytes(s.Encoding.OpenSSH, s.PublicFormat.OpenSSH).decode()
        openssh_private = key.private_bytes(s.Encoding.PEM, s.PrivateFormat.OpenSSH, s.NoEncryption()).decode()
    except ValueError:  # OpenSSH has no P-224: the provider answers empty OpenSSH forms too
        openssh_public = openssh_private = ""
    blob = base64.b64decode(openssh_public.split()[1]) if openssh_public else b""
    md5 = hashlib.md5(blob, usedforsecurity=False).hexdigest() if blob else ""
    return KeyMaterial(
        algorithm=algorithm,
        private_key_pem=key.private_bytes(s.Encoding.PEM, traditional, s.NoEncryption()).decode(),
        private_key_pem_pkcs8=key.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()).decode(),
        private_key_openssh=openssh_private,
        public_key_pem=public.public_bytes(s.Encoding.PEM, s.PublicFormat.SubjectPublicKeyInfo).decode(),
        public_key_openssh=openssh_public + "\n" if openssh_public else "",
        fingerprint_md5=":".join(md5[i:i + 2] for i in range(0, len(md5), 2)),
        fingerprint_sha256=("SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")) if blob else "",
    )


def load_private_key(pem: str) -> Any | None:
    """The key in a PEM or OpenSSH private key text, or None when it is not one (e.g. redacted)."""
    from cryptography.hazmat.primitives import serialization as s

    data = pem.encode()
    for loader in (s.load_pem_private_key, s.load_ssh_private_key):
        try:
            return loader(data, password=None)
        except (ValueError, TypeError):
            continue
    return None


def self_signed_cert(seed: str, private_key_pem: str, subject: dict[str, Any], dns_names: list[str],
                     validity_hours: int, is_ca: bool) -> str:
    """A self-signed certificate PEM over the given key, valid from a fixed date.

    RSA and Ed25519 signatures are deterministic; an ECDSA key signs with a random nonce, so its
    certificate is signed instead by an Ed25519 key from the seed (nothing offline verifies it).
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization as s
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
    from cryptography.x509.oid import NameOID

    key = load_private_key(private_key_pem) or _make_key(seed, "ED25519", 0, "")
    signer = key if isinstance(key, (rsa.RSAPrivateKey, ed25519.Ed25519PrivateKey)) else _make_key(seed, "ED25519", 0, "")
    attrs = [(NameOID.COMMON_NAME, "commonName"), (NameOID.ORGANIZATION_NAME, "organization"),
             (NameOID.ORGANIZATIONAL_UNIT_NAME, "organizationalUnit"), (NameOID.COUNTRY_NAME, "country")]
    name = x509.Name([x509.NameAttribute(oid, str(subject[k])) for oid, k in attrs if subject.get(k)]
                     or [x509.NameAttribute(NameOID.COMMON_NAME, "example")])
    start = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
               .serial_number(int(hashlib.sha256(seed.encode()).hexdigest()[:30], 16))
               .not_valid_before(start).not_valid_after(start + dt.timedelta(hours=max(int(validity_hours or 1), 1)))
               .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True))
    if dns_names:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in dns_names]), critical=False)
    algorithm = None if isinstance(signer, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return builder.sign(signer, algorithm).public_bytes(s.Encoding.PEM).decode()
