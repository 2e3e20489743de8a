-- One database per Simpul service (each service owns its data; none reads another's tables).
CREATE DATABASE simpul_dukcapil;
CREATE DATABASE simpul_licensing;
CREATE DATABASE simpul_tax;
CREATE DATABASE simpul_immigration;
CREATE DATABASE simpul_police;
CREATE DATABASE simpul_religious_affairs;
CREATE DATABASE simpul_applications;
CREATE DATABASE simpul_audit;
CREATE DATABASE simpul_participants;
-- Keycloak's own database (infra/compose.yaml).
CREATE DATABASE keycloak;
