DROP TABLE hqm_authorities;
