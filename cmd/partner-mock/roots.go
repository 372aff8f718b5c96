package main

// The fallback bundle compiles Mozilla's CA roots into the binary. Go uses it only when the
// system has no roots of its own, which is the case in the FROM scratch image (docker/Dockerfile):
// without it, `partner-mock contract` run from the image could not verify an HTTPS staging URL.
import _ "golang.org/x/crypto/x509roots/fallback"
