# The default configuration, as `tlshop serve --print-default-config` prints it, with the
# paths of the packaged service: /etc/tlshop for the certificates, /var/lib/tlshop for
# the data.
1i\
# /etc/tlshop/tlshop.toml: the configuration of the tlshop service (systemctl reload\
# tlshop after a change). Put the server's certificate and key, the CA chain and the\
# CRL at the paths under [tls]; the key readable by the group tlshop only.\
#
s|^listen = .*|listen = ["0.0.0.0:5555"]|
s|^data_dir = .*|data_dir = "/var/lib/tlshop"|
s|^certificate = ""|certificate = "/etc/tlshop/server.crt"|
s|^key = ""|key = "/etc/tlshop/server.key"|
s|^client_ca = ""|client_ca = "/etc/tlshop/ca-chain.crt"|
s|^crl = ""|crl = "/etc/tlshop/crl.pem"|
