-- Run once by the postgres image on an empty volume: the référentiel database is
-- POSTGRES_DB; Rasa's conversations get their own database.
CREATE DATABASE tracker OWNER cvs;
