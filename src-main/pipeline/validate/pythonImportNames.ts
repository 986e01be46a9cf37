/**
 * What `pip install <distribution>` makes importable, where it differs from the distribution
 * name lowercased with `-` turned into `_` (pyyaml installs `yaml`, pillow installs `PIL`), plus
 * the well-known dependencies a package always brings along (fastapi brings starlette and
 * pydantic), since generated code imports those without declaring them and runs fine.
 * Keys are normalised distribution names (PEP 503: lowercase, runs of `-_.` as `-`).
 */
const knownImportNames: Readonly<Record<string, readonly string[]>> = {
  'pyyaml': ['yaml'],
  'beautifulsoup4': ['bs4'],
  'pillow': ['PIL'],
  'python-dateutil': ['dateutil'],
  'scikit-learn': ['sklearn', 'numpy', 'scipy', 'joblib'],
  'scikit-image': ['skimage'],
  'opencv-python': ['cv2', 'numpy'],
  'opencv-python-headless': ['cv2', 'numpy'],
  'opencv-contrib-python': ['cv2', 'numpy'],
  'pyjwt': ['jwt'],
  'python-jose': ['jose'],
  'python-multipart': ['multipart', 'python_multipart'],
  'python-dotenv': ['dotenv'],
  'python-slugify': ['slugify'],
  'python-magic': ['magic'],
  'python-json-logger': ['pythonjsonlogger'],
  'python-telegram-bot': ['telegram'],
  'python-levenshtein': ['Levenshtein'],
  'psycopg2-binary': ['psycopg2'],
  'psycopg-binary': ['psycopg'],
  'mysqlclient': ['MySQLdb'],
  'protobuf': ['google'],
  'grpcio': ['grpc'],
  'grpcio-tools': ['grpc_tools'],
  'attrs': ['attr', 'attrs'],
  'pyserial': ['serial'],
  'pycryptodome': ['Crypto'],
  'pycryptodomex': ['Cryptodome'],
  'pyopenssl': ['OpenSSL'],
  'pyzmq': ['zmq'],
  'pymongo': ['pymongo', 'bson', 'gridfs'],
  'msgpack-python': ['msgpack'],
  'faiss-cpu': ['faiss'],
  'faiss-gpu': ['faiss'],
  'tensorflow-cpu': ['tensorflow'],
  'discord-py': ['discord'],
  'websocket-client': ['websocket'],
  'google-api-python-client': ['googleapiclient'],
  'ruamel-yaml': ['ruamel'],
  'dnspython': ['dns'],
  'py-cpuinfo': ['cpuinfo'],
  'ipython': ['IPython'],
  'setuptools': ['setuptools', 'pkg_resources'],
  'typing-extensions': ['typing_extensions'],
  'fastapi': ['fastapi', 'starlette', 'pydantic', 'pydantic_core', 'anyio', 'typing_extensions', 'annotated_types'],
  'starlette': ['starlette', 'anyio'],
  'pydantic': ['pydantic', 'pydantic_core', 'typing_extensions', 'annotated_types'],
  'pydantic-settings': ['pydantic_settings', 'pydantic', 'dotenv'],
  'uvicorn': ['uvicorn', 'h11', 'click'],
  'flask': ['flask', 'werkzeug', 'jinja2', 'click', 'itsdangerous', 'markupsafe', 'blinker'],
  'django': ['django', 'asgiref', 'sqlparse'],
  'requests': ['requests', 'urllib3', 'idna', 'certifi', 'charset_normalizer'],
  'httpx': ['httpx', 'httpcore', 'anyio', 'idna', 'certifi', 'sniffio', 'h11'],
  'sqlalchemy': ['sqlalchemy', 'typing_extensions'],
  'sqlmodel': ['sqlmodel', 'sqlalchemy', 'pydantic'],
  'pandas': ['pandas', 'numpy', 'dateutil', 'pytz', 'tzdata'],
  'matplotlib': ['matplotlib', 'numpy', 'PIL'],
  'celery': ['celery', 'kombu', 'billiard', 'vine'],
  'alembic': ['alembic', 'sqlalchemy', 'mako'],
  'pytest': ['pytest', '_pytest', 'pluggy', 'iniconfig'],
  'jinja2': ['jinja2', 'markupsafe'],
  'aiohttp': ['aiohttp', 'multidict', 'yarl', 'aiosignal', 'frozenlist'],
  'boto3': ['boto3', 'botocore', 's3transfer'],
  'email-validator': ['email_validator', 'dns'],
};

/** Extras that pull in more importable modules (`fastapi[standard]`, `pydantic[email]`). */
const knownExtras: Readonly<Record<string, readonly string[]>> = {
  'fastapi[standard]': ['uvicorn', 'httpx', 'jinja2', 'multipart', 'python_multipart', 'email_validator', 'fastapi_cli'],
  'fastapi[all]': ['uvicorn', 'httpx', 'jinja2', 'multipart', 'python_multipart', 'email_validator', 'fastapi_cli', 'yaml', 'ujson', 'orjson', 'itsdangerous'],
  'uvicorn[standard]': ['uvloop', 'httptools', 'watchfiles', 'websockets', 'dotenv', 'yaml'],
  'pydantic[email]': ['email_validator'],
  'python-jose[cryptography]': ['cryptography'],
  'passlib[bcrypt]': ['bcrypt'],
  'psycopg[binary]': ['psycopg'],
};

/** PEP 503 normalisation: `Flask_SQLAlchemy` → `flask-sqlalchemy`. */
export function normalizeDistribution(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * The top-level import names a requirement makes available (`PyYAML>=6` → `yaml`;
 * `fastapi[standard]` → fastapi, starlette, pydantic, uvicorn, ...).
 */
export function importNamesOfDistribution(distribution: string, extras: readonly string[] = []): string[] {
  const normalized = normalizeDistribution(distribution);
  const names = [...(knownImportNames[normalized] ?? [normalized.replace(/-/g, '_')])];
  for (const extra of extras) names.push(...(knownExtras[`${normalized}[${extra.trim().toLowerCase()}]`] ?? []));
  return names;
}

/**
 * The distribution to `pip install` for a top-level import name (`yaml` → `pyyaml`, `jwt` →
 * `pyjwt`): the known distribution whose main import it is, else the name itself with `_` as `-`
 * (most distributions are named like their import). For telling a model what to add to a manifest.
 */
export function distributionOfImport(importName: string): string {
  for (const [distribution, names] of Object.entries(knownImportNames)) {
    if (names[0] === importName) return distribution;
  }
  return normalizeDistribution(importName);
}
