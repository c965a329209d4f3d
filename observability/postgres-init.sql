-- Temporal keeps its own databases beside the platform's, on the same server.
CREATE DATABASE temporal;
CREATE DATABASE temporal_visibility;
