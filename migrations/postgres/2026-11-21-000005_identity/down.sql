DROP TABLE api_clients;
DROP TABLE outbox;
DROP TABLE employer_contacts;
