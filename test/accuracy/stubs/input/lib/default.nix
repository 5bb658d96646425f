# `import (nixpkgs + "/lib")`: the stub lib.
(import ../../default.nix).lib
